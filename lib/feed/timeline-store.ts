import "server-only";
// Post lists cached as Redis sorted sets: users' home timelines ("tl"), superstars'
// outboxes ("ob": their posts) and superstars' reposts ("rp"). Member = post id, score =
// the post's position in ms: in a timeline, its most recent reason to be there (its
// publication, or the latest repost by someone the owner follows), so a post is in a list
// once and a repost moves it up; in an outbox, its publication; in a reposts list, the
// repost. Members are zero-padded so that Redis' tie order (lexicographic, for equal
// scores) is the numeric id order: newest first, ties by id, exact.
//
// The invariant every write keeps: a cached list holds every post of its truth (what
// Postgres says belongs in it) from its newest down to its oldest live entry, the
// "horizon". Below the horizon the reader continues in Postgres. A "NoMore" sentinel
// (score -1, always the lowest) says the list is complete: nothing older exists at all.
// So a push or a merge only adds entries at or above the horizon (older ones would
// leave a gap), and trimming to the cap drops the sentinel with the oldest entries.
//
// A missing list is rebuilt from Postgres under a lease (lib/feed/rebuild.ts). While the
// lease is held, writes that would have gone to the list are parked in a "pending" set
// and merged in when the rebuilt list is installed, so a post published during a rebuild
// is not lost between the rebuild's Postgres read and its install.
//
// Adding never moves a post down (ZADD GT): a post's position only rises as reasons
// arrive, in any order. Taking a reason away (an undone repost, an unfollow, a mute)
// moves it down or out, to a position computed from Postgres (lib/feed/reconcile.ts),
// written with `setPositions` under the same horizon rule.
import { getEnv } from "@/lib/env";
import { bySlot, evalEach, getRedis, redisKey, type RedisPipeline } from "@/lib/redis";
import type { Position } from "@/lib/cursor";

/** How many entries a list keeps (TIMELINE_CAP, default 800), the sentinel included. */
export const timelineCap = () => getEnv().TIMELINE_CAP;
export const TIMELINE_TTL_SECONDS = 7 * 24 * 3600;
/** Parked writes outlive any lease by far, and then go. */
const PENDING_TTL_SECONDS = 300;
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

/** A cached list: a user's home timeline or an author's outbox. */
export interface ListRef {
  /** tl: a home timeline; ob: a superstar's posts; rp: a superstar's reposts; rq: a Live-tab replay queue (lib/live). */
  kind: "tl" | "ob" | "rp" | "rq";
  ownerId: string;
}

export const timelineRef = (userId: string): ListRef => ({ kind: "tl", ownerId: userId });
export const outboxRef = (authorId: string): ListRef => ({ kind: "ob", ownerId: authorId });
export const repostsRef = (userId: string): ListRef => ({ kind: "rp", ownerId: userId });

// `tl:{42}`, `tl:{42}:lease`, `tl:{42}:pending`: one owner's keys share a hash slot, so
// every script below touches one slot per list. The scripts that take many lists (push,
// setPositions) get them grouped by slot on a Redis Cluster (lib/redis.ts `bySlot`).
export const listKey = (ref: ListRef) => redisKey(ref.kind, ref.ownerId);
const leaseKey = (ref: ListRef) => redisKey(ref.kind, ref.ownerId, "lease");
const pendingKey = (ref: ListRef) => redisKey(ref.kind, ref.ownerId, "pending");
export const timelineKey = (userId: string) => listKey(timelineRef(userId));

const member = (id: string) => id.padStart(ID_WIDTH, "0");
const idOf = (m: string) => m.replace(/^0+(?=\d)/, "");

/** Strictly older than `after` in feed order (newest first, ties by id descending). */
function isOlder(e: TimelineEntry, after: Position): boolean {
  return e.t < after.t || (e.t === after.t && member(e.id) < member(after.id));
}

/** Feed order: newest first, ties by id descending. */
export function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  return b.t - a.t || (member(b.id) > member(a.id) ? 1 : member(b.id) < member(a.id) ? -1 : 0);
}

/**
 * For each list, up to `limit` entries strictly older than `after` (newest first),
 * refreshing its TTL. One round trip for all lists.
 */
export async function readLists(refs: readonly ListRef[], { after, limit }: { after?: Position; limit: number }): Promise<TimelinePage[]> {
  if (refs.length === 0) return [];
  const p = getRedis().pipeline();
  const parse = queueListReads(p, refs, { after, limit });
  return parse((await p.exec()) as unknown[]);
}

/**
 * Queues readLists' reads on a pipeline the caller sends with other reads (a feed read is
 * one request): one script for all the lists (one per slot on a Redis Cluster), so a
 * reader pulling ten superstars costs Redis one command, not forty. Returns the parser of
 * their replies, which start at `replies[0]`. Per-reader lists (a timeline, a replay
 * queue) have their TTL refreshed by the read; shared ones (a superstar's outbox and
 * reposts, read by all their followers) do not: each is rebuilt once when it expires.
 */
export function queueListReads(p: RedisPipeline, refs: readonly ListRef[], { after, limit }: { after?: Position; limit: number }): ListReads {
  return queuePerSlot(
    p,
    READ_SCRIPT,
    refs,
    (group) => [after ? String(after.t) : "", String(limit + 1), String(TIMELINE_TTL_SECONDS), ...group.map((ref) => (ref.kind === "ob" || ref.kind === "rp" ? "0" : "1"))],
    (reply) => pageOf(reply, after, limit),
  );
}

/** A parser of pipeline replies (from `replies[0]`) that knows how many commands it reads. */
export type SlotReads<T> = ((results: readonly unknown[]) => T[]) & { commands: number };

/**
 * Queues `script` over the lists of `refs`, once per slot (once in all off a cluster), with
 * `args(group)` as its ARGV; the parser gives each list's reply, in `refs` order, through
 * `each`. The script answers one reply per key, in KEYS order.
 */
function queuePerSlot<T>(p: RedisPipeline, script: string, refs: readonly ListRef[], args: (group: ListRef[]) => string[], each: (reply: unknown) => T): SlotReads<T> {
  const groups = bySlot(
    refs.map((ref, index) => ({ ref, index })),
    ({ ref }) => listKey(ref),
  );
  for (const group of groups) {
    const lists = group.map(({ ref }) => ref);
    p.eval(script, lists.map(listKey), args(lists));
  }
  const parse = (results: readonly unknown[]): T[] => {
    const out: T[] = new Array(refs.length);
    groups.forEach((group, g) => {
      const replies = results[g] as unknown[];
      group.forEach(({ index }, i) => (out[index] = each(replies[i])));
    });
    return out;
  };
  return Object.assign(parse, { commands: groups.length });
}

/** One list's reply of READ_SCRIPT as a page: 0 for a missing list, else [entries at the cursor's ms, entries older]. */
function pageOf(reply: unknown, after: Position | undefined, limit: number): TimelinePage {
  if (!Array.isArray(reply)) return { state: "missing" };
  const [first, second] = reply as [unknown, unknown];
  const sameMs = after ? pairs(first).filter((e) => e.id !== NO_MORE && isOlder(e, after)) : [];
  const all = [...sameMs, ...pairs(second)];
  const sentinelAt = all.findIndex((e) => e.id === NO_MORE);
  const live = sentinelAt === -1 ? all : all.slice(0, sentinelAt);
  // Complete when the sentinel shows up right after the last entry we return.
  return { state: "cached", entries: live.slice(0, limit), complete: sentinelAt !== -1 && sentinelAt <= limit };
}

// KEYS: lists (any owners on one Redis, one slot's on a cluster). ARGV: the cursor's score
// ("" on a first page), how many older entries to take, the TTL, then per key "1" to
// refresh its TTL or "0". Per key: 0 if missing, else {entries at the cursor's score,
// entries strictly below it}, member/score pairs, newest first.
const READ_SCRIPT = `
local after, count, ttl = ARGV[1], ARGV[2], ARGV[3]
local out = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local exists
  if ARGV[3 + i] == '1' then exists = redis.call('EXPIRE', key, ttl) else exists = redis.call('EXISTS', key) end
  if exists == 0 then
    out[i] = 0
  elseif after == '' then
    out[i] = { {}, redis.call('ZRANGE', key, '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, count, 'WITHSCORES') }
  else
    out[i] = { redis.call('ZRANGE', key, after, after, 'BYSCORE', 'REV', 'WITHSCORES'),
               redis.call('ZRANGE', key, '(' .. after, '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, count, 'WITHSCORES') }
  end
end
return out`;

/** The parser queueListReads returns, and how many pipeline replies it reads. */
export type ListReads = SlotReads<TimelinePage>;

export async function readTimeline({ userId, after, limit }: { userId: string; after?: Position; limit: number }): Promise<TimelinePage> {
  const [page] = await readLists([timelineRef(userId)], { after, limit });
  return page!;
}

/**
 * For each list, up to `limit` entries strictly newer than `since` (null for a missing
 * list). Does not refresh TTLs: polling for news is not reading.
 */
export async function readNewer(refs: readonly ListRef[], { since, limit }: { since: Position; limit: number }): Promise<Array<TimelineEntry[] | null>> {
  if (refs.length === 0) return [];
  const p = getRedis().pipeline();
  const parse = queueNewerReads(p, refs, { since, limit });
  return parse((await p.exec()) as unknown[]);
}

/**
 * Queues readNewer's reads on a caller's pipeline: one script for all the lists (one per
 * slot on a cluster); returns the parser of their replies, which start at `replies[0]`.
 */
export function queueNewerReads(p: RedisPipeline, refs: readonly ListRef[], { since, limit }: { since: Position; limit: number }): NewerReads {
  return queuePerSlot(
    p,
    NEWER_SCRIPT,
    refs,
    () => [String(since.t), String(limit + 64)],
    (reply) => (Array.isArray(reply) ? pairs(reply).filter((e) => e.id !== NO_MORE && isOlder(since, e)).slice(0, limit) : null),
  );
}

// KEYS: lists (one slot's on a cluster). ARGV: the score from which on (inclusive), how many.
// Per key: 0 if missing, else its entries at or above that score, newest first.
const NEWER_SCRIPT = `
local out = {}
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then out[i] = 0
  else out[i] = redis.call('ZRANGE', KEYS[i], '+inf', ARGV[1], 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[2], 'WITHSCORES') end
end
return out`;

export type NewerReads = SlotReads<TimelineEntry[] | null>;

/**
 * Adds entries to the lists that exist ("online push": a missing one is rebuilt on its
 * owner's next read), keeping each list's horizon, and trims them to the cap. A list
 * being rebuilt gets them parked for the rebuild to merge. Idempotent. Returns how many
 * of the lists existed.
 *
 * In two steps, because most lists a fan-out reaches exist: the first script is given only
 * the lists (one key each, a third of the bytes and key arguments of a list, its lease and
 * its parked set) and writes those that exist; the lists it found missing go to a second
 * script with their leases and parked sets, which does the whole check again (a list may
 * have been installed in between: it is written then). Each list is thus handled once, by
 * one atomic step, as if the batch had been split in two. Every key a script touches is in
 * its KEYS: Upstash reads an undeclared key from disk under its lock, and rejects one when
 * a script locks by key (its EVAL and SCRIPT LOAD pages), so the leases are not derived
 * from the list keys inside the first script.
 */
export async function pushToLists(refs: readonly ListRef[], entries: readonly TimelineEntry[], cap = timelineCap()): Promise<number> {
  if (refs.length === 0 || entries.length === 0) return 0;
  const pairs = entries.flatMap((e) => [String(e.t), member(e.id)]);
  // One script for a whole fan-out batch; one per slot on a cluster.
  const groups = bySlot(refs, listKey);
  const firsts = await evalEach<[number, ...number[]]>(
    PUSH_SCRIPT,
    groups.map((group) => ({ keys: group.map(listKey), args: [String(cap), ...pairs] })),
  );
  let written = 0;
  const missing: ListRef[] = [];
  firsts.forEach((reply, g) => {
    written += Number(reply[0]);
    for (let i = 1; i < reply.length; i++) missing.push(groups[g]![Number(reply[i]) - 1]!);
  });
  if (missing.length === 0) return written;
  const args = [String(cap), String(PENDING_TTL_SECONDS), ...pairs];
  const calls = bySlot(missing, listKey).map((group) => ({ keys: group.flatMap((ref) => [listKey(ref), leaseKey(ref), pendingKey(ref)]), args }));
  const seconds = await evalEach<number>(PUSH_MISSING_SCRIPT, calls);
  return seconds.reduce((sum, n) => sum + Number(n), written);
}

export function pushToTimelines({ userIds, entries, cap }: { userIds: readonly string[]; entries: readonly TimelineEntry[]; cap?: number }): Promise<number> {
  return pushToLists(userIds.map(timelineRef), entries, cap);
}

// A shared fragment. addAbove: add ARGV entries from `first` on to KEY at or above its
// horizon, given `low` (the list's lowest entry with its score, ZRANGE 0 0 WITHSCORES);
// returns how many members it added. addAboveHorizon: the same, reading `low` itself.
// A sorted set never exists empty, so an empty `low` means the list is missing: the push
// scripts use it as their existence check (one call per list fewer than an EXISTS).
const ADD_ABOVE_HORIZON = `
local function addAbove(key, low, entries, first)
  local complete = low[1] == '${NO_MORE}'
  local hs, hm = tonumber(low[2]), low[1]
  local added = 0
  for j = first, #entries, 2 do
    local s, m = tonumber(entries[j]), entries[j + 1]
    if complete or s > hs or (s == hs and m >= hm) then added = added + redis.call('ZADD', key, 'GT', entries[j], m) end
  end
  return added
end
local function addAboveHorizon(key, entries, first)
  return addAbove(key, redis.call('ZRANGE', key, 0, 0, 'WITHSCORES'), entries, first)
end`;

// KEYS: lists: any owners on one Redis; one slot's owners on a cluster. ARGV: cap, then
// score/member pairs. Writes the lists that exist; a list only grows past the cap by the
// members just added, so it is trimmed only when some were. Returns {written, then the
// KEYS indexes of the missing lists}.
const PUSH_SCRIPT = `${ADD_ABOVE_HORIZON}
local trimFrom = -(tonumber(ARGV[1]) + 1)
local out = {0}
for i = 1, #KEYS do
  local low = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
  if #low == 0 then
    out[#out + 1] = i
  else
    if addAbove(KEYS[i], low, ARGV, 2) > 0 then redis.call('ZREMRANGEBYRANK', KEYS[i], 0, trimFrom) end
    out[1] = out[1] + 1
  end
end
return out`;

// KEYS: (list, lease, pending) triples of lists the first script found missing, grouped as
// it. ARGV: cap, pending TTL, then score/member pairs. A list installed since is written; a
// list being rebuilt gets the entries parked. Returns how many lists it wrote.
const PUSH_MISSING_SCRIPT = `${ADD_ABOVE_HORIZON}
local trimFrom = -(tonumber(ARGV[1]) + 1)
local written = 0
for i = 1, #KEYS, 3 do
  local low = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
  if #low > 0 then
    if addAbove(KEYS[i], low, ARGV, 3) > 0 then redis.call('ZREMRANGEBYRANK', KEYS[i], 0, trimFrom) end
    written = written + 1
  elseif redis.call('EXISTS', KEYS[i + 1]) == 1 then
    for j = 3, #ARGV, 2 do redis.call('ZADD', KEYS[i + 2], 'GT', ARGV[j], ARGV[j + 1]) end
    redis.call('EXPIRE', KEYS[i + 2], ARGV[2])
  end
end
return written`;

/** Removes posts from lists (unfollow, delete), parked writes included. */
export async function removeFromLists(refs: readonly ListRef[], postIds: readonly string[]): Promise<void> {
  if (refs.length === 0 || postIds.length === 0) return;
  const members = postIds.map(member);
  const p = getRedis().pipeline();
  for (const ref of refs) {
    p.zrem(listKey(ref), ...members);
    p.zrem(pendingKey(ref), ...members);
  }
  await p.exec();
}

export function removeFromTimelines({ userIds, postIds }: { userIds: readonly string[]; postIds: readonly string[] }): Promise<void> {
  return removeFromLists(userIds.map(timelineRef), postIds);
}

/** A post's new position in a list; null takes it out. */
export interface PositionUpdate {
  id: string;
  t: number | null;
}

export type SetResult = "written" | "missing" | "rebuilding";

/**
 * Moves posts in lists to exactly the given positions (down as well as up) or out,
 * keeping each list's horizon: a post whose new position is below the list's oldest other
 * entry is taken out, as the list cannot say what lies between. A missing list is left
 * alone (its rebuild reads Postgres); a list being rebuilt is left alone too, and says so:
 * the caller tries again after the install, since the rebuild may have read Postgres
 * before the change. One script for all the lists.
 */
export async function setPositions(changes: ReadonlyArray<{ ref: ListRef; updates: readonly PositionUpdate[] }>): Promise<SetResult[]> {
  const nonEmpty = changes.filter((c) => c.updates.length > 0);
  if (nonEmpty.length === 0) return changes.map(() => "written");
  const groups = bySlot(nonEmpty, (c) => listKey(c.ref));
  const calls = groups.map((group) => ({
    keys: group.flatMap((c) => [listKey(c.ref), leaseKey(c.ref)]),
    args: group.flatMap((c) => [String(c.updates.length), ...c.updates.flatMap((u) => [u.t === null ? "-" : String(u.t), member(u.id)])]),
  }));
  const replies = await evalEach<string[]>(SET_SCRIPT, calls);
  const resultOf = new Map<(typeof nonEmpty)[number], SetResult>();
  groups.forEach((group, g) => group.forEach((c, i) => resultOf.set(c, replies[g]![i] as SetResult)));
  return changes.map((c) => resultOf.get(c) ?? "written");
}

// KEYS: (list, lease) pairs, grouped by slot on a cluster. ARGV: per list, a count n then n
// score ("-" to remove)/member pairs.
const SET_SCRIPT = `
local out = {}
local a = 1
for k = 1, #KEYS, 2 do
  local n = tonumber(ARGV[a])
  local list = KEYS[k]
  if redis.call('EXISTS', list) == 0 then
    out[#out + 1] = redis.call('EXISTS', KEYS[k + 1]) == 1 and 'rebuilding' or 'missing'
  else
    for j = a + 1, a + 2 * n, 2 do
      local s, m = ARGV[j], ARGV[j + 1]
      redis.call('ZREM', list, m)
      if s ~= '-' then
        local low = redis.call('ZRANGE', list, 0, 0, 'WITHSCORES')
        local v = tonumber(s)
        if low[1] ~= nil and (low[1] == '${NO_MORE}' or v > tonumber(low[2]) or (v == tonumber(low[2]) and m >= low[1])) then
          redis.call('ZADD', list, s, m)
        end
      end
    end
    out[#out + 1] = 'written'
  end
  a = a + 1 + 2 * n
end
return out`;

/** The positions of `ids` in a list (null where absent or the list is missing). */
export async function positionsIn(ref: ListRef, ids: readonly string[]): Promise<Array<number | null>> {
  if (ids.length === 0) return [];
  const scores = (await getRedis().zmscore(listKey(ref), ids.map(member))) as Array<number | string | null> | null;
  return ids.map((_, i) => (scores?.[i] === null || scores?.[i] === undefined ? null : Number(scores[i])));
}

/** The position of one post in each of `refs` (null where absent or the list is missing). */
export async function positionInLists(refs: readonly ListRef[], id: string): Promise<Array<number | null>> {
  if (refs.length === 0) return [];
  const p = getRedis().pipeline();
  for (const ref of refs) p.zscore(listKey(ref), member(id));
  const scores = (await p.exec()) as Array<number | string | null>;
  return scores.map((s) => (s === null || s === undefined ? null : Number(s)));
}

/** Every post id in a list (at most the cap); null when the list is missing. */
export async function listMembers(ref: ListRef): Promise<string[] | null> {
  const members = (await getRedis().zrange(listKey(ref), 0, -1)) as string[];
  // A list always holds something, if only the sentinel: an empty one does not exist.
  return members.length === 0 ? null : members.filter((m) => m !== NO_MORE).map(idOf);
}

/**
 * A reader's claim on rebuilding a list it found missing, in one step: "present" if the
 * list was installed meanwhile (nothing to do), "acquired" with the lease for `ms`, or
 * "held" by someone else's rebuild.
 */
export async function claimRebuild(ref: ListRef, token: string, ms: number): Promise<"present" | "acquired" | "held"> {
  return getRedis().eval<string[], "present" | "acquired" | "held">(CLAIM_SCRIPT, [listKey(ref), leaseKey(ref)], [token, String(ms)]);
}

// KEYS: list, lease (one owner: one slot). ARGV: token, lease ms.
const CLAIM_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'present' end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'acquired' end
return 'held'`;

/** Takes the rebuild lease of a list for `ms`; false if someone else holds it. */
export async function acquireLease(ref: ListRef, token: string, ms: number): Promise<boolean> {
  return (await getRedis().set(leaseKey(ref), token, { nx: true, px: ms })) === "OK";
}

/** Gives the lease back if it is still ours (a failed rebuild lets the next reader try). */
export async function releaseLease(ref: ListRef, token: string): Promise<void> {
  await getRedis().eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, [leaseKey(ref)], [token]);
}

/**
 * Installs a rebuilt list in one atomic step (a reader sees no list or the whole one):
 * the entries (newest `cap` kept), the sentinel if `complete`, and the writes parked
 * during the rebuild. Only while `token` still holds the lease; returns whether it did.
 */
export async function installList({ ref, token, entries, complete, cap = timelineCap() }: { ref: ListRef; token: string; entries: readonly TimelineEntry[]; complete: boolean; cap?: number }): Promise<boolean> {
  const newest = [...entries].sort(compareEntries).slice(0, cap);
  // Complete only if nothing was cut by the cap.
  const isComplete = complete && newest.length === entries.length;
  const args = [token, String(cap), String(TIMELINE_TTL_SECONDS), isComplete ? "1" : "0", ...newest.flatMap((e) => [String(e.t), member(e.id)])];
  const installed = await getRedis().eval<string[], number>(INSTALL_SCRIPT, [listKey(ref), leaseKey(ref), pendingKey(ref)], args);
  return Number(installed) === 1;
}

// KEYS: list, lease, pending (one owner: one slot). ARGV: token, cap, ttl, complete (1/0),
// then score/member pairs.
const INSTALL_SCRIPT = `${ADD_ABOVE_HORIZON}
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
for j = 5, #ARGV, 256 do
  redis.call('ZADD', KEYS[1], unpack(ARGV, j, math.min(j + 255, #ARGV)))
end
if ARGV[4] == '1' then redis.call('ZADD', KEYS[1], -1, '${NO_MORE}') end
if redis.call('EXISTS', KEYS[1]) == 1 then
  local parked = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
  local flat = {}
  for j = 1, #parked, 2 do flat[#flat + 1] = parked[j + 1]; flat[#flat + 1] = parked[j] end
  addAboveHorizon(KEYS[1], flat, 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[2]) + 1))
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
redis.call('DEL', KEYS[2], KEYS[3])
return 1`;

/**
 * Replaces a timeline outright (tests, benchmarks and tools; readers rebuild through
 * lib/feed/rebuild.ts). Waits for nobody: it takes the lease or fails.
 */
export async function replaceTimeline({ userId, entries, complete, cap }: { userId: string; entries: readonly TimelineEntry[]; complete: boolean; cap?: number }): Promise<void> {
  const ref = timelineRef(userId);
  const token = crypto.randomUUID();
  if (!(await acquireLease(ref, token, 10_000))) throw new Error(`timeline ${userId} is being rebuilt`);
  if (!(await installList({ ref, token, entries, complete, cap }))) throw new Error(`lost the lease on timeline ${userId}`);
}

async function deleteList(ref: ListRef): Promise<void> {
  await getRedis().del(listKey(ref));
}

export const deleteTimeline = (userId: string) => deleteList(timelineRef(userId));

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
