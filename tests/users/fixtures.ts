// Shared by the users and follows tests: unique users made directly in the database,
// requests to route handlers, and the session the mocked getCurrentUser() returns.
// Each test file mocks "@/lib/auth/current-user" itself (vi.mock is hoisted per file).
import crypto from "node:crypto";
import { vi } from "vitest";
import { NextRequest } from "next/server";
import { eq, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { follows, users, type User } from "@/db/schema";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";

export const suffix = () => crypto.randomBytes(5).toString("hex");
/** A fresh valid username (≤ 30 of a-z 0-9 _). */
export const uniqueName = (prefix = "u") => `${prefix}_${suffix()}`;
/** A fresh client IP, so the per-IP registration limit never couples tests. */
export const uniqueIp = () => `10.${[0, 0, 0].map(() => crypto.randomInt(256)).join(".")}`;

export async function makeUser(overrides: Partial<typeof users.$inferInsert> = {}): Promise<User> {
  const username = overrides.username ?? uniqueName();
  const [user] = await getDb()
    .insert(users)
    .values({ username, email: `${username}@example.com`, displayName: `User ${username}`, passwordHash: "x", ...overrides })
    .returning();
  return user!;
}

export async function makeUsers(n: number, prefix = "u"): Promise<User[]> {
  return Promise.all(Array.from({ length: n }, () => makeUser({ username: uniqueName(prefix) })));
}

/** Makes the mocked getCurrentUser() return this user (or nobody). */
export function logInAs(user: Pick<User, "id" | "username" | "email"> | null, isAdmin = false): CurrentUser | null {
  const session = user ? { id: user.id, username: user.username, email: user.email, isAdmin } : null;
  vi.mocked(getCurrentUser).mockResolvedValue(session);
  return session;
}

export function apiRequest(method: string, path: string, options: { json?: unknown; raw?: string; headers?: Record<string, string> } = {}): NextRequest {
  const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  return new NextRequest(new URL(path, "http://localhost:3000"), {
    method,
    headers: { "content-type": "application/json", ...options.headers },
    body,
  });
}

export const routeParams = <P extends Record<string, string>>(params: P) => ({ params: Promise.resolve(params) });

export async function readJson<T = Record<string, unknown>>(res: Response): Promise<{ status: number; body: T }> {
  return { status: res.status, body: (await res.json()) as T };
}

export async function userRow(id: string) {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row!;
}

/** The follows rows of a pair (0 or 1). */
export async function followRows(followerId: string, followeeId: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(follows)
    .where(sql`${follows.followerId} = ${followerId} and ${follows.followeeId} = ${followeeId}`);
  return row!.n;
}

/** The real follows of a user, counted, next to its denormalised counters. */
export async function countersAndRows(userId: string) {
  const row = await userRow(userId);
  const [counted] = await getDb()
    .select({
      followers: sql<number>`count(*) filter (where ${follows.followeeId} = ${userId})::int`,
      following: sql<number>`count(*) filter (where ${follows.followerId} = ${userId})::int`,
    })
    .from(follows)
    .where(or(eq(follows.followeeId, userId), eq(follows.followerId, userId)));
  return { followersCount: row.followersCount, followingCount: row.followingCount, followers: counted!.followers, following: counted!.following };
}
