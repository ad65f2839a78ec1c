// The feed's background work: fan-out of new and deleted posts and of reposts, and the
// reconciling of a reader's timeline after a follow, unfollow, mute, block or showReposts
// change. The logic lives in lib/feed; these functions only bind it to events.
import { inngest } from "@/lib/events/client";
import { fanoutBatch, followCreated, followDeleted, postCreated, postDeleted, relationChanged, repostCreated, repostDeleted } from "@/lib/events/schemas";
import { deliverBatch, dispatchFanout, dispatchRepost } from "@/lib/feed/fanout";
import { syncFollow, syncRelation } from "@/lib/feed/follow-sync";

export const fanOutPost = inngest.createFunction(
  { id: "fan-out-post", triggers: [postCreated], retries: 20 },
  async ({ event, step }) => step.run("dispatch", () => dispatchFanout({ op: "add", postId: event.data.postId })),
);

export const retractPost = inngest.createFunction(
  { id: "retract-post", triggers: [postDeleted], retries: 20 },
  async ({ event, step }) => step.run("dispatch", () => dispatchFanout({ op: "remove", postId: event.data.postId })),
);

export const fanOutRepost = inngest.createFunction(
  { id: "fan-out-repost", triggers: [repostCreated], retries: 20 },
  async ({ event, step }) => step.run("dispatch", () => dispatchRepost({ op: "add", reposterId: event.data.userId, postId: event.data.postId, t: event.data.t })),
);

export const retractRepost = inngest.createFunction(
  { id: "retract-repost", triggers: [repostDeleted], retries: 20 },
  async ({ event, step }) => step.run("dispatch", () => dispatchRepost({ op: "remove", reposterId: event.data.userId, postId: event.data.postId, t: event.data.t })),
);

/**
 * One batch of followers; a failing batch is retried alone. At most eight batches of one
 * fan-out at a time: Redis runs their scripts one after another, so more in flight only
 * queue there, and a queue past the Redis deadline (1 s) fails the calls and opens the
 * process's breaker. On the `large` bench's 1M-follower fan-out, 32 in flight (the local
 * orchestrator's cap) gave 66 calls timing out; 8 and 4 gave none (8.7 and 7.3 s), and 4
 * cost the 100k-follower fan-out a quarter of its rate where 8 did not (bench/results,
 * 2026-12-02 12:51–13:08).
 */
export const fanOutBatch = inngest.createFunction(
  { id: "fan-out-batch", triggers: [fanoutBatch], retries: 20, concurrency: { key: "event.data.postId", limit: 8 } },
  async ({ event }) => ({ written: await deliverBatch(event.data) }),
);

/** Reconciles a follower's timeline with the follow's current state; one run at a time per follower. */
export const syncFollowTimeline = inngest.createFunction(
  { id: "sync-follow-timeline", triggers: [followCreated, followDeleted], retries: 20, concurrency: { key: "event.data.followerId", limit: 1 } },
  async ({ event }) => ({ result: await syncFollow(event.data) }),
);

/** The same after a mute, block or showReposts change; one run at a time per reader. */
export const syncRelationTimeline = inngest.createFunction(
  { id: "sync-relation-timeline", triggers: [relationChanged], retries: 20, concurrency: { key: "event.data.userId", limit: 1 } },
  async ({ event }) => ({ result: await syncRelation(event.data) }),
);

export const feedFunctions = [fanOutPost, retractPost, fanOutRepost, retractRepost, fanOutBatch, syncFollowTimeline, syncRelationTimeline];
