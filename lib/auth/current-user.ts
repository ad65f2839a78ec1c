import "server-only";
// Who is making this request, for server components, server actions and route handlers
// alike: the Auth.js session cookie, decoded, whose session row is still active (./sessions).
// Also records activity (at most one write per user per few minutes).
import { cache } from "react";
import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { getEnv } from "@/lib/env";
import { unauthenticated } from "@/lib/errors";
import { stampActivity } from "@/lib/users/activity";
import { createSessionCache } from "./session-cache";
import { isSessionActive } from "./sessions";

export interface CurrentUser {
  id: string;
  username: string;
  email: string;
  isAdmin: boolean;
}

export interface CurrentSession {
  user: CurrentUser;
  /** The `sessions` row this cookie stands for. */
  sessionId: string;
}

const ACTIVITY_WRITE_INTERVAL_MS = 5 * 60_000;
const lastActivityWrite = new Map<string, number>();

interface SessionClaims {
  user: Omit<CurrentUser, "isAdmin">;
  sessionId: string;
}
// Decoded cookies, kept a minute: decoding is the costly part. Whether the session is
// still active is asked of lib/auth/sessions on every request (its own cache is seconds).
const decodedCookies = createSessionCache<SessionClaims>({ ttlMs: 60_000, maxEntries: 20_000 });

/** Cached per request: the layout, the page and its actions share one session read. */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => {
  const cookie = await sessionCookieHeader();
  if (!cookie) return null;
  let claims = decodedCookies.get(cookie);
  if (!claims) {
    claims = await decodeSessionCookie(cookie);
    if (!claims) return null;
    decodedCookies.set(cookie, claims);
  }
  // A cookie minted before sessions had rows carries no sid: it is no session.
  if (!(await isSessionActive(claims.sessionId, claims.user.id))) return null;
  recordActivity(claims.user.id);
  return { user: { ...claims.user, isAdmin: isAdminEmail(claims.user.email) }, sessionId: claims.sessionId };
});

export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => (await getCurrentSession())?.user ?? null);

/**
 * The session cookie(s) as a Cookie header (Auth.js splits a large one into .0, .1, …
 * chunks). The __Secure- prefix is Auth.js' name for it on https.
 */
async function sessionCookieHeader(): Promise<string | undefined> {
  const parts = (await cookies())
    .getAll()
    .filter((c) => SESSION_COOKIE.test(c.name))
    .map((c) => `${c.name}=${c.value}`);
  return parts.length > 0 ? parts.sort().join("; ") : undefined;
}

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/**
 * Auth.js' own decoder, without the rest of auth(): it would also run the callbacks and
 * encrypt a renewed cookie that a server component cannot set anyway (~1 ms of CPU).
 */
async function decodeSessionCookie(cookie: string): Promise<SessionClaims | undefined> {
  const secret = getEnv().AUTH_SECRET;
  if (!secret) return undefined;
  const token = await getToken({
    req: { headers: new Headers({ cookie }) },
    secret,
    secureCookie: cookie.startsWith("__Secure-"),
  }); // null for a cookie that does not decrypt: no session
  const { uid, username, email, sid } = token ?? {};
  if (typeof uid !== "string" || typeof username !== "string" || typeof email !== "string" || typeof sid !== "string") return undefined;
  return { user: { id: uid, username, email }, sessionId: sid };
}

/** The current session (its user and id), or a 401. */
export async function requireSession(): Promise<CurrentSession> {
  const session = await getCurrentSession();
  if (!session) throw unauthenticated();
  return session;
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw unauthenticated();
  return user;
}

export function isAdminEmail(email: string): boolean {
  return getEnv().ADMIN_EMAILS.includes(email.toLowerCase());
}

/**
 * Throttled in memory, and in Postgres across processes (a stamp another instance wrote
 * within the interval is kept): the feed only needs "active in the last few minutes".
 */
function recordActivity(userId: string): void {
  const now = Date.now();
  if (now - (lastActivityWrite.get(userId) ?? 0) < ACTIVITY_WRITE_INTERVAL_MS) return;
  lastActivityWrite.set(userId, now);
  if (lastActivityWrite.size > 50_000) lastActivityWrite.clear();
  stampActivity(userId, ACTIVITY_WRITE_INTERVAL_MS).catch((error: unknown) => console.error("recording activity failed", { userId, error }));
}
