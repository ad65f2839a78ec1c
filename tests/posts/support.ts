// Shared by the posts and likes tests: users and posts made directly in the database,
// requests to route handlers, and the rate limits in force for this run.
import crypto from "node:crypto";
import { NextRequest } from "next/server";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { likes, posts, users } from "@/db/schema";
import type { CurrentUser } from "@/lib/auth/current-user";

export const unique = () => crypto.randomBytes(5).toString("hex");

export async function makeUser() {
  const name = `u_${unique()}`;
  const [user] = await getDb()
    .insert(users)
    .values({ username: name, email: `${name}@example.com`, displayName: `User ${name}`, passwordHash: "x" })
    .returning();
  return user!;
}

/** The session the mocked getCurrentUser() returns for this user. */
export function sessionOf(user: { id: string; username: string; email: string }): CurrentUser {
  return { id: user.id, username: user.username, email: user.email, isAdmin: false };
}

/** Posts written straight to the table (no rate limit, chosen timestamps), counted on the author. */
export async function insertPosts(authorId: string, rows: Array<{ content?: string; createdAt?: Date }>) {
  return getDb().transaction(async (tx) => {
    await tx
      .update(users)
      .set({ postsCount: sql`${users.postsCount} + ${rows.length}` })
      .where(eq(users.id, authorId));
    return tx
      .insert(posts)
      .values(rows.map((r, i) => ({ authorId, content: r.content ?? `post ${i}`, createdAt: r.createdAt })))
      .returning();
  });
}

export async function postRow(postId: string) {
  const [row] = await getDb().select().from(posts).where(eq(posts.id, postId));
  return row;
}

export async function postsCount(userId: string) {
  const [row] = await getDb().select({ n: users.postsCount }).from(users).where(eq(users.id, userId));
  return row!.n;
}

export async function likeRows(postId: string) {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(likes)
    .where(eq(likes.postId, postId));
  return row!.n;
}

/** The limit lib/rate-limit.ts applies in this process (RATE_LIMIT_MULTIPLIER scales it). */
export function rateLimitOf(base: number): number {
  return base * Math.max(1, Number(process.env.RATE_LIMIT_MULTIPLIER ?? 1) || 1);
}

export function apiRequest(
  method: string,
  path: string,
  options: { json?: unknown; raw?: string; headers?: Record<string, string> } = {},
): NextRequest {
  const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  return new NextRequest(new URL(path, "http://localhost:3000"), {
    method,
    headers: { "content-type": "application/json", ...options.headers },
    body,
  });
}

export const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export async function read<T = unknown>(res: Response): Promise<{ status: number; body: T; headers: Headers }> {
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}
