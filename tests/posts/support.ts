// Posts and likes as the posts and likes tests make and check them, and the rate limits
// in force for this run (the common fixtures live in tests/support/fixtures.ts).
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { likes, posts, users } from "@/db/schema";

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
