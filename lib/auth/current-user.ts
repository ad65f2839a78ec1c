import "server-only";
// Who is making this request, for server components, server actions and route handlers
// alike; also records activity (at most one write per user per few minutes).
import { cache } from "react";
import { cookies } from "next/headers";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { unauthenticated } from "@/lib/errors";
import { auth } from "./index";
import { createSessionCache } from "./session-cache";

export interface CurrentUser {
  id: string;
  username: string;
  email: string;
  isAdmin: boolean;
}

const ACTIVITY_WRITE_INTERVAL_MS = 5 * 60_000;
const lastActivityWrite = new Map<string, number>();

type SessionUser = Omit<CurrentUser, "isAdmin">;
const checkedSessions = createSessionCache<SessionUser>({ ttlMs: 60_000, maxEntries: 20_000 });

/** Cached per request: the layout, the page and its actions share one session read. */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const token = await sessionCookieValue();
  if (!token) return null;
  let user = checkedSessions.get(token);
  if (!user) {
    const session = await auth();
    const u = session?.user;
    if (!u?.id || !u.email || !u.username) return null;
    user = { id: u.id, username: u.username, email: u.email };
    checkedSessions.set(token, user);
  }
  recordActivity(user.id);
  return { ...user, isAdmin: isAdminEmail(user.email) };
});

/** The session cookie's value (Auth.js splits a large one into .0, .1, … chunks). */
async function sessionCookieValue(): Promise<string | undefined> {
  const parts = (await cookies())
    .getAll()
    .filter((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name))
    .map((c) => `${c.name}=${c.value}`);
  return parts.length > 0 ? parts.sort().join(";") : undefined;
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw unauthenticated();
  return user;
}

export function isAdminEmail(email: string): boolean {
  return getEnv().ADMIN_EMAILS.includes(email.toLowerCase());
}

/** Throttled in memory: the feed only needs "active in the last few minutes". */
function recordActivity(userId: string): void {
  const now = Date.now();
  if (now - (lastActivityWrite.get(userId) ?? 0) < ACTIVITY_WRITE_INTERVAL_MS) return;
  lastActivityWrite.set(userId, now);
  if (lastActivityWrite.size > 50_000) lastActivityWrite.clear();
  void getDb()
    .update(users)
    .set({ lastActiveAt: new Date(now) })
    .where(eq(users.id, userId))
    .catch((error: unknown) => console.error("recording activity failed", { userId, error }));
}
