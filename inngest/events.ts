// Every event Starling sends, declared once with its schema.
import { eventType } from "inngest";
import { z } from "zod";

const id = z.string().regex(/^\d+$/, "ids are decimal strings");

/** Smoke event: proves the event → function → Redis path end to end. */
export const systemPing = eventType("system/ping", {
  schema: z.object({ token: z.string().min(1).max(200) }),
});

export const postCreated = eventType("post/created", {
  schema: z.object({ postId: id, authorId: id, createdAt: z.string() }),
});

export const postDeleted = eventType("post/deleted", {
  schema: z.object({ postId: id, authorId: id }),
});

export const followCreated = eventType("follow/created", {
  schema: z.object({ followerId: id, followeeId: id }),
});

export const followDeleted = eventType("follow/deleted", {
  schema: z.object({ followerId: id, followeeId: id }),
});

/**
 * One slice of a post's fan-out: write the post into (or take it out of) these
 * followers' timelines. Sent by the dispatcher, at most FANOUT_BATCH_SIZE followers each.
 */
/**
 * Followers per batch. Bigger batches cost fewer runs (each a request to /api/inngest, a
 * post check and a progress write) but hold Redis longer per script (~6 ms at 1,000) and
 * make bigger events (~15 KB at 1,000; Inngest Cloud accepts up to 256 KiB). 2,000 was no
 * faster end to end on the benchmark (the dispatcher's walk is the critical path).
 */
export const FANOUT_BATCH_SIZE = 1000;

export const fanoutBatch = eventType("feed/fanout.batch", {
  schema: z.object({
    op: z.enum(["add", "remove"]),
    postId: id,
    authorId: id,
    /** The post's publish time in ms: its score in the timelines. */
    t: z.number().int().nonnegative(),
    batch: z.number().int().nonnegative(),
    followerIds: z.array(id).max(FANOUT_BATCH_SIZE),
  }),
});
