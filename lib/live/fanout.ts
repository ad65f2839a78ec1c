import "server-only";
// Replays are write-fanned, exactly like posts (lib/feed/fanout.ts): when a session ends,
// a dispatcher pages through the host's recently active followers (the feed's own
// `activeFollowers`) and sends one `live/replay.batch` event per FANOUT_BATCH_SIZE of them;
// each batch pushes the replay into those followers' existing queues in one Redis script
// (a failed batch is retried alone). Batch event ids come from their content, and a
// re-push is a no-op, so retries and duplicates are harmless.
//
// Follows and unfollows reconcile one follower's queue with Postgres as it is now (so
// runs may come twice or out of order): the followed host's replays are merged in, and
// replays of hosts no longer followed are taken out.
import { createHash } from "node:crypto";
import { getSql } from "@/db";
import { inngest } from "@/lib/events/client";
import { FANOUT_BATCH_SIZE, replayBatch } from "@/lib/events/schemas";
import { activeFollowers } from "@/lib/feed/fanout";
import { timelineCap } from "@/lib/feed/timeline-store";
import { mergeReplays, pushReplay, removeReplays, replayQueueMembers } from "./replay-store";

const SEND_CHUNK = 10;

export interface ReplayDispatchResult {
  batches: number;
  followers: number;
}

/** The dispatcher of an ended session. */
export async function dispatchReplayFanout({ sessionId }: { sessionId: string }): Promise<ReplayDispatchResult> {
  const [session] = await getSql()<Array<{ host_id: string; t: string; followers_count: number }>>`
    select s.host_id::text as host_id, (extract(epoch from s.ended_at) * 1000)::int8::text as t, u.followers_count
    from live_sessions s join users u on u.id = s.host_id where s.id = ${sessionId} and s.status = 'ended'`;
  if (!session) return { batches: 0, followers: 0 };
  const t = Number(session.t);
  let batch = 0;
  let followers = 0;
  let events: Array<ReturnType<typeof replayBatch.create>> = [];
  for await (const followerIds of activeFollowers(session.host_id, session.followers_count, FANOUT_BATCH_SIZE)) {
    const digest = createHash("sha1").update(followerIds.join(",")).digest("hex").slice(0, 12);
    events.push(replayBatch.create({ sessionId, hostId: session.host_id, t, batch, followerIds }, { id: `replay-${sessionId}-${batch}-${digest}` }));
    batch += 1;
    followers += followerIds.length;
    if (events.length === SEND_CHUNK) {
      await inngest.send(events);
      events = [];
    }
  }
  if (events.length > 0) await inngest.send(events);
  return { batches: batch, followers };
}

/** One batch: the followers who still follow the host get the replay, if they have a queue. */
export async function deliverReplayBatch({ sessionId, hostId, t, followerIds }: { sessionId: string; hostId: string; t: number; followerIds: string[] }): Promise<number> {
  const rows = await getSql()<Array<{ f: string }>>`
    select x.f::text as f from unnest(${followerIds}::int8[]) as x(f)
    where exists (select 1 from follows fo where fo.follower_id = x.f and fo.followee_id = ${hostId})`;
  return pushReplay(rows.map((r) => r.f), { id: sessionId, t });
}

export type ReplaySyncResult = "reconciled" | "no-queue";

/**
 * After a follow or an unfollow of `followeeId`: merges the host's replays into the
 * follower's queue if they follow it now, and takes out every replay whose host they do
 * not follow (any more).
 */
export async function syncFollowReplays({ followerId, followeeId }: { followerId: string; followeeId: string }): Promise<ReplaySyncResult> {
  const held = await replayQueueMembers(followerId);
  if (held === null) return "no-queue"; // rebuilt from Postgres on the next read
  const sql = getSql();
  const [{ following }] = await sql<[{ following: boolean }]>`
    select exists (select 1 from follows where follower_id = ${followerId} and followee_id = ${followeeId}) as following`;
  if (following) {
    const rows = await sql<Array<{ id: string; t: string }>>`
      select id::text as id, (extract(epoch from ended_at) * 1000)::int8::text as t from live_sessions
      where host_id = ${followeeId} and status = 'ended' order by ended_at desc, id desc limit ${timelineCap()}`;
    await mergeReplays(followerId, rows.map((r) => ({ id: r.id, t: Number(r.t) })));
  }
  const stale = await sql<Array<{ id: string }>>`
    select x.id::text as id from unnest(${held}::int8[]) as x(id)
    where not exists (select 1 from live_sessions s join follows f on f.followee_id = s.host_id and f.follower_id = ${followerId}
      where s.id = x.id and s.status = 'ended')`;
  await removeReplays(followerId, stale.map((r) => r.id));
  return "reconciled";
}

