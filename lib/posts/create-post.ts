import "server-only";
// Publishing a post or a reply: validate, rate-limit, then write the post, the author's post
// count, the parent's reply count (a reply), its images (lib/media/attach.ts) and the
// `post/created` event (the outbox) in one transaction. Fan-out to followers' feeds happens in the background; the author gets
// the post back at once.
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db";
import { posts, users } from "@/db/schema";
import { transactWithEvents } from "@/lib/events/outbox";
import { postCreated } from "@/lib/events/schemas";
import { pushToTimelines } from "@/lib/feed/timeline-store";
import { notFound } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { blockedEitherWay } from "@/lib/relationships/queries";
import { attachMedia } from "@/lib/media/attach";
import { MAX_MEDIA_PER_POST } from "@/lib/media/limits";
import { idSchema, parseInput, postContentSchema } from "@/lib/validation";
import { hydratePosts, type PostDto } from "./dto";

export const postInputSchema = z
  .object({
    content: z.string({ error: "Write something first." }),
    replyToId: idSchema.optional(),
    mediaIds: z
      .array(idSchema, { error: "mediaIds must be a list of upload ids." })
      .max(MAX_MEDIA_PER_POST, `A post can have at most ${MAX_MEDIA_PER_POST} images.`)
      .refine((ids) => new Set(ids).size === ids.length, "The same image is listed twice.")
      .default([]),
  })
  .transform((input, ctx) => {
    // With images the text may be empty; otherwise the usual rules (and messages) apply.
    if (input.mediaIds.length > 0 && input.content.trim() === "") return { ...input, content: "" };
    const content = postContentSchema.safeParse(input.content);
    if (content.success) return { ...input, content: content.data };
    for (const issue of content.error.issues) ctx.addIssue({ code: "custom", path: ["content"], message: issue.message });
    return z.NEVER;
  });

export async function createPost({
  authorId,
  content,
  replyToId,
  mediaIds,
}: {
  authorId: string;
  content: string;
  replyToId?: string;
  mediaIds?: string[];
}): Promise<PostDto> {
  const valid = parseInput(postInputSchema, { content, replyToId, mediaIds });
  // After validation, so a rejected draft does not use up the author's allowance.
  await enforceRateLimit("post", authorId);

  const row = await transactWithEvents(async (tx, publish) => {
    const [author] = await tx
      .update(users)
      .set({ postsCount: sql`${users.postsCount} + 1` })
      // Not a deleted account's: a post racing the deletion waits for its row lock, then finds it gone.
      .where(and(eq(users.id, authorId), isNull(users.deletedAt)))
      .returning({ id: users.id });
    if (!author) throw notFound("User");
    const parent = valid.replyToId ? await countReply(tx, valid.replyToId, authorId) : undefined;
    const [post] = await tx
      .insert(posts)
      .values({ authorId, content: valid.content, replyToId: parent?.id, replyToUserId: parent?.authorId })
      .returning({ id: posts.id, createdAt: posts.createdAt });
    await attachMedia(tx, { postId: post!.id, authorId, mediaIds: valid.mediaIds });
    publish(
      postCreated.create({
        postId: post!.id,
        authorId,
        createdAt: post!.createdAt.toISOString(),
        ...(parent && { replyToId: parent.id, replyToUserId: parent.authorId }),
      }),
    );
    return post!;
  });

  // The author sees their post at once: their own timeline is written now, not by fan-out.
  await pushToTimelines({ userIds: [authorId], entries: [{ id: row.id, t: row.createdAt.getTime() }] }).catch((error: unknown) => {
    // Fan-out writes it too (lib/feed/fanout.ts); a failure here only delays it.
    console.error("writing a new post to its author's timeline failed", { postId: row.id, error });
  });
  const [post] = await hydratePosts([row.id], authorId);
  return post!;
}

/**
 * The parent of a reply, its reply count moved with the reply. A deleted or unknown parent,
 * or one whose author and the replier blocked each other, is a 404: to a blocked replier
 * the post does not exist.
 */
async function countReply(tx: Tx, parentId: string, authorId: string) {
  const [parent] = await tx
    .update(posts)
    .set({ replyCount: sql`${posts.replyCount} + 1` })
    .where(and(eq(posts.id, BigInt(parentId).toString()), isNull(posts.deletedAt)))
    .returning({ id: posts.id, authorId: posts.authorId });
  if (!parent || (parent.authorId !== authorId && (await blockedEitherWay(parent.authorId, authorId)))) throw notFound("Post");
  return parent;
}
