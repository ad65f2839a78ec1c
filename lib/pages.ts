import "server-only";
// Small helpers shared by pages: turning a domain 404 into Next's not-found page, and
// keeping `?next=` redirects on this site.
import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";

/** The value, or Next's not-found page when lib/ says 404 (unknown user, deleted post). */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
}

/** A path on this site, or undefined: `next` comes from the URL and must not lead elsewhere. */
export function safeNextPath(next: unknown): string | undefined {
  return typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : undefined;
}
