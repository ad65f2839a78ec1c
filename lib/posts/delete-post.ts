import "server-only";
// Deleting a post is a soft delete (cursors stay valid; every read skips deleted_at), done
// with the author's post count, the parent's reply count (a reply) and the `post/deleted` event (the outbox) in one transaction.
import { and, eq, isNull, sql } from "drizzle-orm";
import { posts, users } from "@/db/schema";
import { transactWithEvents } from "@/lib/events/outbox";
import { postDeleted } from "@/lib/events/schemas";
import { removeFromTimelines } from "@/lib/feed/timeline-store";
import { forbidden, notFound } from "@/lib/errors";
import { parsePostId } from "./ids";

export async function deletePost({ postId, userId }: { postId: string; userId: string }): Promise<void> {
  const id = parsePostId(postId);

  const authorId = await transactWithEvents(async (tx, publish) => {
    // FOR UPDATE: a concurrent delete of the same post waits here, then sees deleted_at set.
    const [post] = await tx
      .select({ authorId: posts.authorId, deletedAt: posts.deletedAt, replyToId: posts.replyToId })
      .from(posts)
      .where(eq(posts.id, id))
      .for("update");
    if (!post || post.deletedAt) throw notFound("Post");
    if (post.authorId !== userId) throw forbidden("You can only delete your own posts.");
    // Guarded as well, so the count can only ever be decremented by the delete that won.
    const deleted = await tx
      .update(posts)
      .set({ deletedAt: sql`now()` })
      .where(and(eq(posts.id, id), isNull(posts.deletedAt)))
      .returning({ id: posts.id });
    if (deleted.length === 0) throw notFound("Post");
    await tx
      .update(users)
      .set({ postsCount: sql`${users.postsCount} - 1` })
      .where(eq(users.id, post.authorId));
    if (post.replyToId) {
      // The parent's count follows its live replies, whether the parent is live or not.
      await tx
        .update(posts)
        .set({ replyCount: sql`greatest(${posts.replyCount} - 1, 0)` })
        .where(eq(posts.id, post.replyToId));
    }
    publish(postDeleted.create({ postId: id, authorId: post.authorId }));
    return post.authorId;
  });

  // Reads skip deleted posts anyway; this tidies the author's own timeline at once.
  await removeFromTimelines({ userIds: [authorId], postIds: [id] }).catch((error: unknown) => {
    console.error("removing a deleted post from its author's timeline failed", { postId: id, error });
  });
}
