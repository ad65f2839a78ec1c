// The feed's background work: fan-out of new and deleted posts, and follow/unfollow
// merges. The logic lives in lib/feed; these functions only bind it to events.
import { inngest } from "@/lib/events/client";
import { fanoutBatch, followCreated, followDeleted, postCreated, postDeleted } from "@/lib/events/schemas";
import { deliverBatch, dispatchFanout } from "@/lib/feed/fanout";
import { syncFollow } from "@/lib/feed/follow-sync";

export const fanOutPost = inngest.createFunction(
  { id: "fan-out-post", triggers: [postCreated], retries: 20 },
  async ({ event, step }) => step.run("dispatch", () => dispatchFanout({ op: "add", postId: event.data.postId })),
);

export const retractPost = inngest.createFunction(
  { id: "retract-post", triggers: [postDeleted], retries: 20 },
  async ({ event, step }) => step.run("dispatch", () => dispatchFanout({ op: "remove", postId: event.data.postId })),
);

/** One batch of followers; a failing batch is retried alone. */
export const fanOutBatch = inngest.createFunction(
  { id: "fan-out-batch", triggers: [fanoutBatch], retries: 20 },
  async ({ event }) => ({ written: await deliverBatch(event.data) }),
);

/** Reconciles a follower's timeline with the follow's current state; one run at a time per follower. */
export const syncFollowTimeline = inngest.createFunction(
  { id: "sync-follow-timeline", triggers: [followCreated, followDeleted], retries: 20, concurrency: { key: "event.data.followerId", limit: 1 } },
  async ({ event }) => ({ result: await syncFollow(event.data) }),
);
