import "server-only";
// Publishing a post: validate, rate-limit, write the post and the author's post count in
// one transaction, then announce it with `post/created`. Fan-out to followers' feeds
// happens in the background; the author gets the post back at once.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { posts, users } from "@/db/schema";
import { postCreated } from "@/lib/events/schemas";
import { pushToTimelines } from "@/lib/feed/timeline-store";
import { notFound } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { parseInput, postContentSchema } from "@/lib/validation";
import { authorColumns, postColumns, toPostDto, type PostDto } from "./dto";
import { sendPostEvent } from "./events";

export const postInputSchema = z.object({ content: postContentSchema });

export async function createPost({ authorId, content }: { authorId: string; content: string }): Promise<PostDto> {
  const valid = parseInput(postInputSchema, { content });
  // After validation, so a rejected draft does not use up the author's allowance.
  await enforceRateLimit("post", authorId);

  const row = await getDb().transaction(async (tx) => {
    const [author] = await tx
      .update(users)
      .set({ postsCount: sql`${users.postsCount} + 1` })
      .where(eq(users.id, authorId))
      .returning(authorColumns);
    if (!author) throw notFound("User");
    const [post] = await tx.insert(posts).values({ authorId, content: valid.content }).returning(postColumns);
    return { ...post!, author };
  });

  // The author sees their post at once: their own timeline is written now, not by fan-out.
  await pushToTimelines({ userIds: [authorId], entries: [{ id: row.id, t: row.createdAt.getTime() }] }).catch((error: unknown) => {
    // Fan-out writes it too (lib/feed/fanout.ts); a failure here only delays it.
    console.error("writing a new post to its author's timeline failed", { postId: row.id, error });
  });
  await sendPostEvent(
    postCreated.create(
      { postId: row.id, authorId, createdAt: row.createdAt.toISOString() },
      // Deterministic: a retried send never fans the same post out twice.
      { id: `post-created-${row.id}` },
    ),
  );
  return toPostDto({ ...row, likedByMe: false }); // nobody has liked a post yet
}
