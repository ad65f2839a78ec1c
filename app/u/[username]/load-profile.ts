import "server-only";
// One profile read per request, shared by generateMetadata and the page.
import { cache } from "react";
import { orNotFound } from "@/lib/pages";
import { getUserByUsername } from "@/lib/users/profile";

export const loadProfile = cache((username: string, viewerId: string | null) =>
  orNotFound(getUserByUsername({ username: safeDecode(username), viewerId })),
);

/** The URL segment as typed; a malformed escape is just an unknown user, not a crash. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
