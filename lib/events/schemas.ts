// Every event Starling sends, declared once with its schema.
import { eventType } from "inngest";
import { z } from "zod";

const id = z.string().regex(/^\d+$/, "ids are decimal strings");

/** Smoke event: proves the event → function → Redis path end to end. */
export const systemPing = eventType("system/ping", {
  schema: z.object({ token: z.string().min(1).max(200) }),
});

export const postCreated = eventType("post/created", {
  /** `replyToUserId`: the author of the post this one answers (a reply), else absent. */
  schema: z.object({ postId: id, authorId: id, createdAt: z.string(), replyToId: id.optional(), replyToUserId: id.optional() }),
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

export const likeCreated = eventType("like/created", {
  schema: z.object({ userId: id, postId: id }),
});

export const likeDeleted = eventType("like/deleted", {
  schema: z.object({ userId: id, postId: id }),
});

/** `t`: the repost's time in ms, its position in the reposter's followers' feeds. */
export const repostCreated = eventType("repost/created", {
  schema: z.object({ userId: id, postId: id, t: z.number().int().nonnegative() }),
});

export const repostDeleted = eventType("repost/deleted", {
  schema: z.object({ userId: id, postId: id, t: z.number().int().nonnegative() }),
});

/**
 * A change in how `userId` sees `targetId` in their feed: a mute or unmute, a block or
 * unblock, or the follow's showReposts setting. The feed reconciles the user's timeline.
 */
export const relationChanged = eventType("relation/changed", {
  schema: z.object({
    userId: id,
    targetId: id,
    change: z.enum(["mute", "unmute", "block", "unblock", "show-reposts", "hide-reposts"]),
  }),
});
/** A live session's transitions; `at`: when it happened, in ms. */
const liveTransition = z.object({ sessionId: id, hostId: id, at: z.number().int().nonnegative() });
export const liveScheduled = eventType("live/scheduled", { schema: liveTransition });
export const liveStarted = eventType("live/started", { schema: liveTransition });
export const liveEnded = eventType("live/ended", { schema: liveTransition });
export const liveCancelled = eventType("live/cancelled", { schema: liveTransition });

/**
 * One slice of an ended session's fan-out: push it into these followers' replay queues
 * (score = its end time `t`, in ms). At most FANOUT_BATCH_SIZE followers each.
 */
export const replayBatch = eventType("live/replay.batch", {
  schema: z.object({
    sessionId: id,
    hostId: id,
    t: z.number().int().nonnegative(),
    batch: z.number().int().nonnegative(),
    followerIds: z.array(id).max(2000),
  }),
});

/**
 * Followers per batch for an ordinary audience (and per replay batch). Bigger batches cost
 * fewer runs (each a request to /api/inngest and a progress write: ~10 ms of CPU across
 * the app and the queue) but hold Redis longer per script (~12 ms at 2,000, during which
 * other commands wait) and make bigger events (~30 KB at 2,000). A huge audience gets
 * bigger batches, up to FANOUT_BATCH_MAX (lib/feed/fanout.ts `fanoutBatchSize`).
 */
export const FANOUT_BATCH_SIZE = 2000;
/**
 * The most followers one batch event carries: 5,000 ids of at most 19 digits are at most
 * ~110 KB of JSON, under Inngest's 256 KiB event limit (its free plan's), and a batch's
 * script holds Redis ~30 ms. 10,000 would still fit the event, but bought nothing measurable
 * on the benchmark (the app's CPU per delivery, not per batch, bounds it) and doubles the stall.
 */
export const FANOUT_BATCH_MAX = 5_000;

/**
 * One slice of a post's fan-out: write the post into (or take it out of) these
 * followers' timelines. Sent by the dispatcher, at most FANOUT_BATCH_MAX followers each:
 * their ids, or for an audience pushed whole a range of follower ids (lib/feed/fanout.ts).
 */
export const fanoutBatch = eventType("feed/fanout.batch", {
  schema: z.object({
    /**
     * add: write the post at `t` (ZADD GT); remove: take it out (a deleted post);
     * reconcile: a repost at `t` was undone: move the post to its next reason where that
     * repost was its position.
     */
    op: z.enum(["add", "remove", "reconcile"]),
    postId: id,
    /** Whose followers these are: the post's author, or the reposter. */
    authorId: id,
    /** Set for a repost's fan-out: the reposter (= authorId). */
    reposterId: id.optional(),
    /** The post's position in these timelines, in ms: its publication or the repost. */
    t: z.number().int().nonnegative(),
    /** Some followers may not take it (a reply, a muted author): check each one first. */
    filter: z.boolean().optional(),
    batch: z.number().int().nonnegative(),
    /** The followers, or (an audience pushed whole) `followerRange`: exactly one is set. */
    followerIds: z.array(id).max(FANOUT_BATCH_MAX).optional(),
    /** The author's followers with ids in (after, through], read by the batch itself. */
    followerRange: z.object({ after: id, through: id }).optional(),
  }).refine((data) => (data.followerIds === undefined) !== (data.followerRange === undefined), "a fan-out batch has followerIds or a followerRange"),
});

/** `userId` was flagged superstar: their followers' feeds now pull their posts (lib/feed/reader-view.ts). */
export const superstarFlagged = eventType("user/superstar.flagged", {
  schema: z.object({ userId: id }),
});
