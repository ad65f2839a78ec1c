import "server-only";
// The Live feed's snapshots (feed.ts): the ids of the sessions that were live or upcoming
// at a paging session's moment M, in the contract's order, stored by its first page (or,
// when Redis was out then, what remains of it, by the first page that finds Redis back) so
// that its later pages show that same moment. Key `lsnap:{id}`, a fresh random id each
// time (two devices never share one), holding {viewer, M, ids}; written once, never
// changed, and expiring SNAPSHOT_TTL_SECONDS after its last read, so a reader still paging
// keeps it. A snapshot is a convenience, not the truth: while Redis is out it can be
// neither stored nor read, and the feed recomputes the page from Postgres instead.
import { getRedis, isRedisUnavailable, redisAvailable, redisKey } from "@/lib/redis";

export const SNAPSHOT_TTL_SECONDS = 600;

export interface Snapshot {
  viewerId: string;
  moment: number;
  ids: string[];
}

const snapshotKey = (id: string) => redisKey("lsnap", id);

/** Stores the snapshot under a fresh id, or returns null when Redis is out (the caller recomputes instead). */
export async function storeSnapshot(snapshot: Snapshot): Promise<string | null> {
  if (!redisAvailable()) return null;
  const id = crypto.randomUUID();
  try {
    await getRedis().set(snapshotKey(id), JSON.stringify({ v: snapshot.viewerId, m: snapshot.moment, ids: snapshot.ids }), { ex: SNAPSHOT_TTL_SECONDS });
    return id;
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    return null;
  }
}

/**
 * The snapshot, its TTL refreshed (a reader still paging keeps it); null once it has
 * expired; "unavailable" while Redis is out.
 */
export async function loadSnapshot(id: string): Promise<Snapshot | null | "unavailable"> {
  if (!redisAvailable()) return "unavailable";
  let raw: unknown;
  try {
    raw = await getRedis().getex(snapshotKey(id), { ex: SNAPSHOT_TTL_SECONDS });
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    return "unavailable";
  }
  if (raw === null || raw === undefined) return null;
  const parsed = JSON.parse(String(raw)) as { v: string; m: number; ids: string[] };
  return { viewerId: parsed.v, moment: parsed.m, ids: parsed.ids };
}
