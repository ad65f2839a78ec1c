import "server-only";
// Who is making this request, for server components, server actions and route handlers
// alike; also records activity (at most one write per user per few minutes).
import { cache } from "react";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { unauthenticated } from "@/lib/errors";
import { auth } from "./index";

export interface CurrentUser {
  id: string;
  username: string;
  email: string;
  isAdmin: boolean;
}

const ACTIVITY_WRITE_INTERVAL_MS = 5 * 60_000;
const lastActivityWrite = new Map<string, number>();

/** Cached per request: the layout, the page and its actions share one session read. */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email || !user.username) return null;
  recordActivity(user.id);
  return { id: user.id, username: user.username, email: user.email, isAdmin: isAdminEmail(user.email) };
});

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
