// The request cookies a test plays, for modules that read them through next/headers
// (the one framework piece a test cannot get outside a request). A test file mocks
//   vi.mock("next/headers", () => import("./cookie-jar"));
// and sets the cookie with setRequestCookie(). The cookie itself is real: minted with the same
// Auth.js encoder and secret the app decodes with.
import { encode } from "next-auth/jwt";
import { resetEnvCache } from "@/lib/env";
import { startSession } from "@/lib/auth/sessions";
import type { User } from "@/db/schema";

export const SESSION_COOKIE = "authjs.session-token";
const jar = new Map<string, string>();

export async function cookies() {
  return {
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
  };
}

export async function headers() {
  return new Headers();
}

/** The cookie header of the next request ("name=value"), or none. */
export function setRequestCookie(cookie: string | undefined): void {
  jar.clear();
  if (!cookie) return;
  const eq = cookie.indexOf("=");
  jar.set(cookie.slice(0, eq), cookie.slice(eq + 1));
}

export function testAuthSecret(): string {
  process.env.AUTH_SECRET ??= "test-auth-secret-of-enough-length-0123456789";
  resetEnvCache();
  return process.env.AUTH_SECRET;
}

/** What lib/auth/index.ts' jwt callback puts into the cookie at login, for a given sid (none: a cookie from before sessions had rows). */
export async function mintCookie(user: Pick<User, "id" | "username" | "email">, sid?: string): Promise<string> {
  const token = await encode({
    secret: testAuthSecret(),
    salt: SESSION_COOKIE,
    token: { sub: user.id, email: user.email, name: user.username, uid: user.id, username: user.username, ...(sid ? { sid } : {}) },
  });
  return `${SESSION_COOKIE}=${token}`;
}

/** Logs `user` in as Auth.js does: a new sessions row and a cookie naming it. */
export async function signIn(user: Pick<User, "id" | "username" | "email">): Promise<{ cookie: string; sessionId: string }> {
  const sessionId = await startSession(user.id);
  return { cookie: await mintCookie(user, sessionId), sessionId };
}
