import "server-only";
// Home timelines as Redis sorted sets: member = post id, score = publish time in ms.
// Members are zero-padded so that Redis' tie order (lexicographic, for equal scores) is
// the numeric id order: newest first, ties by id, exact. A "NoMore" sentinel (score -1,
// always the lowest) marks a timeline that is complete back to its oldest entry; trimming
// to the cap drops it with the oldest entries, which is exactly when that stops being true.
import { getRedis, redisKey } from "@/lib/redis";
import type { Position } from "@/lib/cursor";

export const TIMELINE_CAP = 800;
export const TIMELINE_TTL_SECONDS = 7 * 24 * 3600;
const NO_MORE = "nomore";
const ID_WIDTH = 19; // int8 ids have at most 19 digits

export interface TimelineEntry {
  id: string;
  /** Publish time in ms (the score). */
  t: number;
}

export type TimelinePage =
  | { state: "missing" }
  /** `complete`: nothing older exists beyond `entries` (the sentinel was reached). */
  | { state: "cached"; entries: TimelineEntry[]; complete: boolean };

export const timelineKey = (userId: string) => redisKey("tl", userId);
const member = (id: string) => id.padStart(ID_WIDTH, "0");
const idOf = (m: string) => m.replace(/^0+(?=\d)/, "");

/**
 * Up to `limit` entries strictly older than `after` (newest first), refreshing the TTL.
 * One round trip: the entries sharing the cursor's millisecond, and those strictly older.
 */
export async function readTimeline({ userId, after, limit }: { userId: string; after?: Position; limit: number }): Promise<TimelinePage> {
  const key = timelineKey(userId);
  const p = getRedis().pipeline();
  p.expire(key, TIMELINE_TTL_SECONDS); // 0 when the key is missing
  if (after) p.zrange(key, after.t, after.t, { byScore: true, rev: true, withScores: true });
  p.zrange(key, after ? `(${after.t}` : "+inf", "-inf", { byScore: true, rev: true, withScores: true, offset: 0, count: limit + 1 });
  const results = (await p.exec()) as unknown[];
  if (Number(results[0]) === 0) return { state: "missing" };

  const sameMs = after ? pairs(results[1]).filter((e) => member(e.id) < member(after.id)) : [];
  const older = pairs(results[after ? 2 : 1]);
  const all = [...sameMs, ...older];
  const sentinelAt = all.findIndex((e) => e.id === NO_MORE);
  const live = sentinelAt === -1 ? all : all.slice(0, sentinelAt);
  const entries = live.slice(0, limit);
  // Complete when the sentinel shows up right after the last entry we return.
  const complete = sentinelAt !== -1 && sentinelAt <= limit;
  return { state: "cached", entries, complete };
}

/**
 * Adds entries to the timelines that exist ("online push"; a missing one is rebuilt on
 * its owner's next read) and trims each to the cap. Idempotent: re-adding is harmless.
 */
export async function pushToTimelines({ userIds, entries, cap = TIMELINE_CAP }: { userIds: string[]; entries: TimelineEntry[]; cap?: number }): Promise<number> {
  if (userIds.length === 0 || entries.length === 0) return 0;
  const args = [String(cap), ...entries.flatMap((e) => [String(e.t), member(e.id)])];
  const written = await getRedis().eval<string[], number>(PUSH_SCRIPT, userIds.map(timelineKey), args);
  return Number(written);
}

// KEYS: timelines. ARGV: cap, then score/member pairs. Returns how many timelines existed.
const PUSH_SCRIPT = `
local cap = tonumber(ARGV[1])
local written = 0
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    for j = 2, #ARGV, 2 do redis.call('ZADD', KEYS[i], ARGV[j], ARGV[j + 1]) end
    redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(cap + 1))
    written = written + 1
  end
end
return written`;

/** Removes posts from the given timelines (unfollow, delete). */
export async function removeFromTimelines({ userIds, postIds }: { userIds: string[]; postIds: string[] }): Promise<void> {
  if (userIds.length === 0 || postIds.length === 0) return;
  const p = getRedis().pipeline();
  for (const userId of userIds) p.zrem(timelineKey(userId), ...postIds.map(member));
  await p.exec();
}

/**
 * Replaces a timeline atomically: built aside, then renamed over the old one in one
 * MULTI/EXEC, so a reader sees the old timeline or the new one, never half of one.
 * `complete`: the entries reach back to the beginning (adds the sentinel).
 */
export async function replaceTimeline({ userId, entries, complete, cap = TIMELINE_CAP }: { userId: string; entries: TimelineEntry[]; complete: boolean; cap?: number }): Promise<void> {
  const key = timelineKey(userId);
  const scratch = `${key}:build:${crypto.randomUUID()}`;
  const newest = [...entries].sort((a, b) => b.t - a.t || (member(b.id) > member(a.id) ? 1 : -1)).slice(0, cap);
  const members = newest.map((e) => ({ score: e.t, member: member(e.id) }));
  // Complete only if nothing was cut by the cap.
  if (complete && newest.length === entries.length) members.push({ score: -1, member: NO_MORE });
  const tx = getRedis().multi();
  tx.del(scratch);
  if (members.length > 0) {
    const [first, ...rest] = members;
    tx.zadd(scratch, first!, ...rest);
    tx.expire(scratch, TIMELINE_TTL_SECONDS);
    tx.rename(scratch, key);
  } else {
    tx.del(key); // nothing known and not complete: same as missing
  }
  await tx.exec();
}

export async function deleteTimeline(userId: string): Promise<void> {
  await getRedis().del(timelineKey(userId));
}

/** [member, score, member, score, …] → entries. */
function pairs(raw: unknown): TimelineEntry[] {
  const flat = (raw ?? []) as Array<string | number>;
  const out: TimelineEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const m = String(flat[i]);
    out.push({ id: m === NO_MORE ? NO_MORE : idOf(m), t: Number(flat[i + 1]) });
  }
  return out;
}
