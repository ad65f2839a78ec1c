import "server-only";
// Each host's live and upcoming sessions, cached in Redis as one sorted set `lv:<hostId>`
// (read-fanned: a viewer's Live feed reads the sets of the hosts they follow).
//
// Scores, one range per state, so one descending read gives live before upcoming:
//   live      started_at (ms, positive): most recent start first;
//   upcoming  −scheduled_at: soonest first;
//   BUILT     the sentinel member, at BUILT_SCORE: "this set is complete" (an empty
//             host's set holds only it; a set without it counts as missing);
//   gone      TOMB_BASE + the time the session ended or was cancelled: a tombstone.
// Members are zero-padded ids (so equal scores order by id).
//
// A session only moves forward (upcoming → live → ended | cancelled), so every write is a
// merge that never moves a member back: it is applied only when it takes the member to a
// later state than the one the set holds (the tombstones remember "gone"). Writes can
// then come in any order and any number of times — the request's own write after its
// transition commits, the event's Inngest function, a rebuild — and the set ends at the
// latest state. Tombstones are trimmed to the newest MAX_TOMBSTONES.
//
// The set is a cache: rebuilt from Postgres when missing (a flush, an expiry), single-
// flight under a lease, as timelines are (lib/feed/rebuild.ts). Writes to a set without
// BUILT land anyway; the rebuild merges into them with the same rule and then adds BUILT,
// so a transition that commits while a rebuild reads Postgres is never lost.
import { getSql } from "@/db";
import { bySlot, evalEach, getRedis, redisKey } from "@/lib/redis";
import type { SessionRow } from "./dto";

export const HOST_SET_TTL_SECONDS = 7 * 24 * 3600;
const BUILT = "built";
const BUILT_SCORE = -5e13;
const TOMB_BASE = -4e15;
const MAX_TOMBSTONES = 32;
const LEASE_MS = 5_000;
const WAIT_MS = 1_500;
const POLL_MS = 15;
const ID_WIDTH = 19;

// `lv:{host}` and `lv:{host}:lease` share a slot; the scripts over many hosts (read, install)
// are sent one per slot on a Redis Cluster (lib/redis.ts `bySlot`).
export const hostSetKey = (hostId: string) => redisKey("lv", hostId);
const leaseKey = (hostId: string) => redisKey("lv", hostId, "lease");
const member = (id: string) => id.padStart(ID_WIDTH, "0");
const idOf = (m: string) => m.replace(/^0+(?=\d)/, "");

/** A session's score in its host's set, from its row (a tombstone once it ended or was cancelled). */
export function hostScore(row: Pick<SessionRow, "status" | "scheduledMs" | "startedMs" | "endedMs" | "cancelledMs">): number {
  switch (row.status) {
    case "upcoming":
      return -row.scheduledMs;
    case "live":
      return row.startedMs!;
    case "ended":
      return TOMB_BASE + row.endedMs!;
    case "cancelled":
      return TOMB_BASE + row.cancelledMs!;
  }
}

// Merging one (score, member) into a set, never moving the member back.
const MERGE = `
local function stage(s) if s > 0 then return 2 elseif s > ${BUILT_SCORE} then return 1 else return 3 end end
local function merge(key, score, m)
  local cur = redis.call('ZSCORE', key, m)
  if cur == false or stage(tonumber(score)) > stage(tonumber(cur)) then redis.call('ZADD', key, score, m) end
end
local function trim(key)
  local n = redis.call('ZCOUNT', key, '-inf', '(${BUILT_SCORE}')
  if n > ${MAX_TOMBSTONES} then redis.call('ZREMRANGEBYRANK', key, 0, n - ${MAX_TOMBSTONES} - 1) end
end`;

// KEYS: the set. ARGV: ttl, score, member.
const WRITE_SCRIPT = `${MERGE}
merge(KEYS[1], ARGV[2], ARGV[3])
trim(KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

// KEYS: (set, lease) pairs (one slot's hosts on a cluster). ARGV: token, ttl, then per set a
// count n and n score/member pairs.
const INSTALL_SCRIPT = `${MERGE}
local a = 3
local installed = 0
for k = 1, #KEYS, 2 do
  local n = tonumber(ARGV[a])
  if redis.call('GET', KEYS[k + 1]) == ARGV[1] then
    for j = a + 1, a + 2 * n, 2 do merge(KEYS[k], ARGV[j], ARGV[j + 1]) end
    redis.call('ZADD', KEYS[k], ${BUILT_SCORE}, '${BUILT}')
    trim(KEYS[k])
    redis.call('EXPIRE', KEYS[k], ARGV[2])
    redis.call('DEL', KEYS[k + 1])
    installed = installed + 1
  end
  a = a + 1 + 2 * n
end
return installed`;

/** Writes a session's current state (from its row) into its host's set. Idempotent, order-free. */
export async function writeHostEntry(row: Pick<SessionRow, "id" | "hostId" | "status" | "scheduledMs" | "startedMs" | "endedMs" | "cancelledMs">): Promise<void> {
  await getRedis().eval(WRITE_SCRIPT, [hostSetKey(row.hostId)], [String(HOST_SET_TTL_SECONDS), String(hostScore(row)), member(row.id)]);
}

/** Re-reads a session from Postgres and writes it into its host's set (the events' function). */
export async function syncHostEntry(sessionId: string): Promise<"written" | "unknown"> {
  const [row] = await getSql()<Array<{ host_id: string; status: SessionRow["status"]; scheduled: string; started: string | null; ended: string | null; cancelled: string | null }>>`
    select host_id::text as host_id, status, (extract(epoch from scheduled_at) * 1000)::int8::text as scheduled,
      (extract(epoch from started_at) * 1000)::int8::text as started, (extract(epoch from ended_at) * 1000)::int8::text as ended,
      (extract(epoch from cancelled_at) * 1000)::int8::text as cancelled
    from live_sessions where id = ${sessionId}`;
  if (!row) return "unknown"; // its host was deleted, and the set with it does not matter
  const n = (v: string | null) => (v === null ? null : Number(v));
  await writeHostEntry({ id: sessionId, hostId: row.host_id, status: row.status, scheduledMs: Number(row.scheduled), startedMs: n(row.started), endedMs: n(row.ended), cancelledMs: n(row.cancelled) });
  return "written";
}

/** Per host: the ids of its live and upcoming sessions and of those gone after `goneAfter`, or null when the set is missing. */
export type HostSetRead = Array<string[] | null>;

/**
 * Reads the hosts' sets in one round trip, refreshing their TTLs: every live and upcoming
 * session, and the tombstones of those that ended or were cancelled after `goneAfter`
 * (ms), which a snapshot taken at that moment still lists.
 */
export async function readHostSets(hostIds: readonly string[], { goneAfter }: { goneAfter: number }): Promise<HostSetRead> {
  if (hostIds.length === 0) return [];
  // One script for all the hosts, not a command pair per host: a viewer following 2,000
  // hosts would otherwise send 4,000 commands through the REST bridge per first page.
  // (On a cluster, one script per slot, in one request.)
  const args = [`(${TOMB_BASE + goneAfter}`, String(HOST_SET_TTL_SECONDS)];
  const groups = bySlot(hostIds, hostSetKey);
  const replies = await evalEach<string[][]>(READ_SETS_SCRIPT, groups.map((group) => ({ keys: group.map(hostSetKey), args })));
  const results = new Map<string, string[]>();
  groups.forEach((group, g) => group.forEach((hostId, i) => results.set(hostId, replies[g]![i] ?? [])));
  return hostIds.map((hostId) => {
    const members = (results.get(hostId) ?? []).map(String);
    if (!members.includes(BUILT)) return null;
    return members.filter((m) => m !== BUILT).map(idOf);
  });
}

// KEYS: host sets (one slot's on a cluster). ARGV: the exclusive lowest score (tombstones of sessions gone before M are below it), TTL.
const READ_SETS_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('ZRANGE', key, '+inf', ARGV[1], 'BYSCORE', 'REV')
  if #out[i] > 0 then redis.call('EXPIRE', key, ARGV[2]) end
end
return out`;

/**
 * Rebuilds the missing sets of these hosts from Postgres, single-flight: the sets whose
 * lease this call takes are loaded in one query and installed in one script; for the
 * others it waits briefly for whoever holds their lease. Returns the hosts whose set is
 * still not there (their reader goes to Postgres).
 */
export async function ensureHostSets(hostIds: readonly string[]): Promise<string[]> {
  if (hostIds.length === 0) return [];
  const redis = getRedis();
  const token = crypto.randomUUID();
  const p = redis.pipeline();
  for (const hostId of hostIds) p.set(leaseKey(hostId), token, { nx: true, px: LEASE_MS });
  const taken = ((await p.exec()) as unknown[]).map((r) => r === "OK");
  const mine = hostIds.filter((_, i) => taken[i]);
  const others = hostIds.filter((_, i) => !taken[i]);
  if (mine.length > 0) {
    try {
      const rows = await activeSessions(mine);
      const calls = bySlot(mine, hostSetKey).map((group) => {
        const args = [token, String(HOST_SET_TTL_SECONDS)];
        for (const hostId of group) {
          const own = rows.filter((r) => r.hostId === hostId);
          args.push(String(own.length), ...own.flatMap((r) => [String(hostScore(r)), member(r.id)]));
        }
        return { keys: group.flatMap((h) => [hostSetKey(h), leaseKey(h)]), args };
      });
      await evalEach(INSTALL_SCRIPT, calls);
    } catch (error) {
      await releaseLeases(mine, token).catch(() => {});
      throw error;
    }
  }
  let waiting = others;
  const deadline = Date.now() + WAIT_MS;
  while (waiting.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const q = redis.pipeline();
    for (const hostId of waiting) q.zscore(hostSetKey(hostId), BUILT);
    const built = (await q.exec()) as unknown[];
    waiting = waiting.filter((_, i) => built[i] === null || built[i] === undefined);
  }
  return waiting;
}

async function releaseLeases(hostIds: readonly string[], token: string): Promise<void> {
  const p = getRedis().pipeline();
  for (const hostId of hostIds) p.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, [leaseKey(hostId)], [token]);
  await p.exec();
}

type ActiveRow = Pick<SessionRow, "id" | "hostId" | "status" | "scheduledMs" | "startedMs" | "endedMs" | "cancelledMs">;

/** The hosts' live and upcoming sessions (live_sessions_host_active_idx). */
async function activeSessions(hostIds: readonly string[]): Promise<ActiveRow[]> {
  const rows = await getSql()<Array<{ id: string; host_id: string; status: "upcoming" | "live"; scheduled: string; started: string | null }>>`
    select id::text as id, host_id::text as host_id, status, (extract(epoch from scheduled_at) * 1000)::int8::text as scheduled,
      (extract(epoch from started_at) * 1000)::int8::text as started
    from live_sessions where host_id = any(${hostIds as string[]}::int8[]) and status in ('upcoming', 'live')`;
  return rows.map((r) => ({ id: r.id, hostId: r.host_id, status: r.status, scheduledMs: Number(r.scheduled), startedMs: r.started === null ? null : Number(r.started), endedMs: null, cancelledMs: null }));
}

/**
 * What a missing set would hold, from Postgres: for a reader who cannot wait for a rebuild.
 * The live and upcoming sessions, and those that ended or were cancelled after `goneAfter`
 * (each walk a partial index of its own).
 */
export async function pullHostSessions(hostIds: readonly string[], { goneAfter }: { goneAfter: number }): Promise<string[]> {
  if (hostIds.length === 0) return [];
  const sql = getSql();
  const hosts = hostIds as string[];
  const rows = await sql<Array<{ id: string }>>`
    select id::text as id from live_sessions where host_id = any(${hosts}::int8[]) and status in ('upcoming', 'live')
    union all
    select id::text from live_sessions where host_id = any(${hosts}::int8[]) and status = 'ended'
      and ended_at > (timestamptz 'epoch' + ${String(goneAfter)}::int8 * interval '1 millisecond')
    union all
    select id::text from live_sessions where host_id = any(${hosts}::int8[]) and status = 'cancelled'
      and cancelled_at > (timestamptz 'epoch' + ${String(goneAfter)}::int8 * interval '1 millisecond')`;
  return rows.map((r) => r.id);
}

export async function deleteHostSet(hostId: string): Promise<void> {
  await getRedis().del(hostSetKey(hostId));
}
