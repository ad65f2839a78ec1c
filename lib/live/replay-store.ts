import "server-only";
// Each viewer's replay queue `rq:<userId>`: the ended sessions of the hosts they follow,
// newest end first (score = ended_at ms; write-fanned, as a replay never changes again).
// It keeps the home timeline's storage invariant and reuses its store
// (lib/feed/timeline-store.ts): a cached queue holds every replay of its truth from its
// newest entry down to its horizon (its oldest), a NoMore sentinel says nothing older
// exists, pushes land only at or above the horizon, it is capped (TIMELINE_CAP) and
// expires unless read (TTL refreshed on read). Pushes go only to queues that exist
// ("online push"); a missing queue is rebuilt by pull, single-flight under a lease, with
// pushes that arrive meanwhile parked and merged at install. Below the horizon a reader
// continues in Postgres (`pullReplays`).
import { eq, sql as dsql } from "drizzle-orm";
import { getDb, getSql } from "@/db";
import { users } from "@/db/schema";
import type { Position } from "@/lib/cursor";
import { olderThan } from "@/lib/keyset-sql";
import { ensureList, type EnsureResult } from "@/lib/feed/rebuild";
import { getRedis } from "@/lib/redis";
import {
  installList,
  listKey,
  listMembers,
  pushToLists,
  readLists,
  removeFromLists,
  timelineCap,
  type ListRef,
  type TimelineEntry,
} from "@/lib/feed/timeline-store";

/** A viewer's replay queue, a list of the timeline store (key `rq:<userId>`), rebuilt here. */
export const replayQueueRef = (userId: string): ListRef => ({ kind: "rq", ownerId: userId });
export const replayQueueKey = (userId: string) => listKey(replayQueueRef(userId));


/**
 * The viewer's replays strictly older than `after`, newest first, up to `limit`: from the
 * queue (rebuilt when missing), continuing in Postgres past its cached tail, and from
 * Postgres alone when a rebuild is not ready in time. Every replay of a followed host,
 * as far as the queue knows: the caller drops those whose host is no longer followed.
 */
export async function takeReplays({ viewerId, after, limit }: { viewerId: string; after: Position; limit: number }): Promise<TimelineEntry[]> {
  const ref = replayQueueRef(viewerId);
  let [page] = await readLists([ref], { after, limit });
  if (page!.state === "missing") {
    if ((await ensureReplayQueue(viewerId)) === "unavailable") return pullReplays({ viewerId, after, limit });
    [page] = await readLists([ref], { after, limit });
    if (page!.state === "missing") return pullReplays({ viewerId, after, limit });
  }
  const cached = page as Extract<typeof page, { state: "cached" }>;
  if (cached.complete || cached.entries.length >= limit) return cached.entries;
  const rest = await pullReplays({ viewerId, after: cached.entries.at(-1) ?? after, limit: limit - cached.entries.length });
  return [...cached.entries, ...rest];
}

/** Makes sure the viewer's queue exists: rebuilds it, or waits for the rebuild in flight (single-flight, as timelines). */
export function ensureReplayQueue(viewerId: string): Promise<EnsureResult> {
  return ensureList(replayQueueRef(viewerId), async (ref, token) => {
    // Stamped before reading Postgres: a session that ends after the read is fanned out
    // to this viewer (an active follower), and parked until the install.
    await getDb().update(users).set({ lastActiveAt: dsql`now()` }).where(eq(users.id, viewerId));
    const cap = timelineCap();
    const entries = await pullReplays({ viewerId, limit: cap });
    await installList({ ref, token, entries, complete: entries.length < cap, cap });
  });
}

/**
 * The queue's truth from Postgres: ended sessions of the hosts the viewer follows, newest
 * end first (ties by id), strictly older than `after`. One index walk per followed host
 * (live_sessions_host_ended_idx) with a LIMIT, so the cost is bounded by hosts × limit.
 */
export async function pullReplays({ viewerId, after, limit }: { viewerId: string; after?: Position; limit: number }): Promise<TimelineEntry[]> {
  const sql = getSql();
  const rows = await sql<Array<{ id: string; t: string }>>`
    select s.id::text as id, (extract(epoch from s.ended_at) * 1000)::int8::text as t
    from follows f cross join lateral (
      select s.id, s.ended_at from live_sessions s
      where s.host_id = f.followee_id and s.status = 'ended' ${olderThan(sql, after, sql`s.ended_at, s.id`)}
      order by s.ended_at desc, s.id desc limit ${limit}
    ) s
    where f.follower_id = ${viewerId}
    order by s.ended_at desc, s.id desc limit ${limit}`;
  return rows.map((r) => ({ id: r.id, t: Number(r.t) }));
}

/** Pushes one replay into the queues of these viewers that exist. Returns how many did. */
export function pushReplay(viewerIds: readonly string[], entry: TimelineEntry): Promise<number> {
  return pushToLists(viewerIds.map(replayQueueRef), [entry]);
}

/** Merges replays into one viewer's queue (at or above its horizon; nothing if it is missing). */
export function mergeReplays(viewerId: string, entries: readonly TimelineEntry[]): Promise<number> {
  return pushToLists([replayQueueRef(viewerId)], entries);
}

export function removeReplays(viewerId: string, sessionIds: readonly string[]): Promise<void> {
  return removeFromLists([replayQueueRef(viewerId)], sessionIds);
}

/** The session ids in a viewer's queue; null when it is missing. */
export function replayQueueMembers(viewerId: string): Promise<string[] | null> {
  return listMembers(replayQueueRef(viewerId));
}

export async function deleteReplayQueue(viewerId: string): Promise<void> {
  await getRedis().del(replayQueueKey(viewerId));
}
