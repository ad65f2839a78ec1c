import "server-only";
// Like / unlike, idempotent. The like row and posts.like_count change in one transaction,
// and the counter moves only when a row was really inserted or deleted, so the count
// always equals the number of like rows — under concurrent likes by many users and under
// a like racing an unlike by the same user.
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { likes, posts } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { parsePostId } from "@/lib/posts/ids";

export interface LikeState<Liked extends boolean> {
  likeCount: number;
  likedByMe: Liked;
}

export async function likePost({ userId, postId }: { userId: string; postId: string }): Promise<LikeState<true>> {
  const id = parsePostId(postId);
  await enforceRateLimit("like", userId);
  const likeCount = await getDb().transaction(async (tx) => {
    await requireLivePost(tx, id);
    const inserted = await tx
      .insert(likes)
      .values({ userId, postId: id })
      .onConflictDoNothing()
      .returning({ postId: likes.postId });
    if (inserted.length === 0) return currentCount(tx, id);
    const [post] = await tx
      .update(posts)
      .set({ likeCount: sql`${posts.likeCount} + 1` })
      // Deleted since the check above: roll the like back rather than like a deleted post.
      .where(and(eq(posts.id, id), isNull(posts.deletedAt)))
      .returning({ likeCount: posts.likeCount });
    if (!post) throw notFound("Post");
    return post.likeCount;
  });
  return { likeCount, likedByMe: true };
}

export async function unlikePost({ userId, postId }: { userId: string; postId: string }): Promise<LikeState<false>> {
  const id = parsePostId(postId);
  await enforceRateLimit("like", userId);
  const likeCount = await getDb().transaction(async (tx) => {
    await requireLivePost(tx, id);
    const deleted = await tx
      .delete(likes)
      .where(and(eq(likes.userId, userId), eq(likes.postId, id)))
      .returning({ postId: likes.postId });
    if (deleted.length === 0) return currentCount(tx, id);
    // No deleted_at condition: the row is gone, so the count must follow, deleted post or not.
    const [post] = await tx
      .update(posts)
      .set({ likeCount: sql`${posts.likeCount} - 1` })
      .where(eq(posts.id, id))
      .returning({ likeCount: posts.likeCount });
    return post!.likeCount;
  });
  return { likeCount, likedByMe: false };
}

async function requireLivePost(tx: Tx, postId: string): Promise<void> {
  const [post] = await tx
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.id, postId), isNull(posts.deletedAt)));
  if (!post) throw notFound("Post");
}

/** Read after the no-op write, so it includes a concurrent change that made it a no-op. */
async function currentCount(tx: Tx, postId: string): Promise<number> {
  const [post] = await tx.select({ likeCount: posts.likeCount }).from(posts).where(eq(posts.id, postId));
  return post?.likeCount ?? 0;
}
