import "server-only";
// Publishing a post: validate, rate-limit, then write the post, the author's post count and
// the `post/created` event (the outbox) in one transaction. Fan-out to followers' feeds
// happens in the background; the author gets the post back at once.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { posts, users } from "@/db/schema";
import { transactWithEvents } from "@/lib/events/outbox";
import { postCreated } from "@/lib/events/schemas";
import { pushToTimelines } from "@/lib/feed/timeline-store";
import { notFound } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { parseInput, postContentSchema } from "@/lib/validation";
import { authorColumns, postColumns, toPostDto, type PostDto } from "./dto";

export const postInputSchema = z.object({ content: postContentSchema });

export async function createPost({ authorId, content }: { authorId: string; content: string }): Promise<PostDto> {
  const valid = parseInput(postInputSchema, { content });
  // After validation, so a rejected draft does not use up the author's allowance.
  await enforceRateLimit("post", authorId);

  const row = await transactWithEvents(async (tx, publish) => {
    const [author] = await tx
      .update(users)
      .set({ postsCount: sql`${users.postsCount} + 1` })
      .where(eq(users.id, authorId))
      .returning(authorColumns);
    if (!author) throw notFound("User");
    const [post] = await tx.insert(posts).values({ authorId, content: valid.content }).returning(postColumns);
    publish(postCreated.create({ postId: post!.id, authorId, createdAt: post!.createdAt.toISOString() }));
    return { ...post!, author };
  });

  // The author sees their post at once: their own timeline is written now, not by fan-out.
  await pushToTimelines({ userIds: [authorId], entries: [{ id: row.id, t: row.createdAt.getTime() }] }).catch((error: unknown) => {
    // Fan-out writes it too (lib/feed/fanout.ts); a failure here only delays it.
    console.error("writing a new post to its author's timeline failed", { postId: row.id, error });
  });
  return toPostDto({ ...row, likedByMe: false }); // nobody has liked a post yet
}
