// Live sessions' background work: keeping each host's Redis set in step with Postgres
// after every transition, the go-live notifications, the replay fan-out when a session
// ends, and reconciling a follower's replay queue after a follow or unfollow. The logic
// lives in lib/live and lib/notifications; these functions only bind it to events.
import { inngest } from "@/lib/events/client";
import { followCreated, followDeleted, liveCancelled, liveEnded, liveScheduled, liveStarted, replayBatch } from "@/lib/events/schemas";
import { deliverReplayBatch, dispatchReplayFanout, syncFollowReplays } from "@/lib/live/fanout";
import { syncHostEntry } from "@/lib/live/host-store";
import { notifyGoLive } from "@/lib/notifications/live";

/** Writes the session's state as Postgres has it now into its host's set (idempotent, order-free). */
export const syncLiveHostSet = inngest.createFunction(
  { id: "sync-live-host-set", triggers: [liveScheduled, liveStarted, liveEnded, liveCancelled], retries: 20 },
  async ({ event }) => ({ result: await syncHostEntry(event.data.sessionId) }),
);

export const notifyLive = inngest.createFunction(
  { id: "notify-live", triggers: [liveStarted], retries: 20 },
  async ({ event }) => ({ notified: await notifyGoLive({ sessionId: event.data.sessionId }) }),
);

export const fanOutReplay = inngest.createFunction(
  { id: "fan-out-replay", triggers: [liveEnded], retries: 20 },
  async ({ event, step }) => step.run("dispatch", () => dispatchReplayFanout({ sessionId: event.data.sessionId })),
);

/** One batch of followers; a failing batch is retried alone. */
export const fanOutReplayBatch = inngest.createFunction(
  { id: "fan-out-replay-batch", triggers: [replayBatch], retries: 20 },
  async ({ event }) => ({ written: await deliverReplayBatch(event.data) }),
);

/** Reconciles a follower's replay queue with the follow's current state; one run at a time per follower. */
export const syncFollowReplayQueue = inngest.createFunction(
  { id: "sync-follow-replays", triggers: [followCreated, followDeleted], retries: 20, concurrency: { key: "event.data.followerId", limit: 1 } },
  async ({ event }) => ({ result: await syncFollowReplays(event.data) }),
);

/** Every live-session function, for inngest/index.ts. */
export const liveFunctions = [syncLiveHostSet, notifyLive, fanOutReplay, fanOutReplayBatch, syncFollowReplayQueue];
