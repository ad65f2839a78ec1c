import "server-only";
// The Live feed (API contract, "Live feed"): the sessions of the hosts the viewer follows,
// live first (most recent start first), then upcoming (soonest first), then replays (most
// recent end first), each paging session showing one moment M.
//
// First page: M is now. The followed hosts (one query) and their Redis sets (one
// pipeline; missing sets rebuilt, host-store.ts) give the candidates: every session live
// or upcoming when read, plus those gone since M (tombstones). Their rows, read in one
// query, say what each was at M (dto.ts `sessionAt`): the live and upcoming ones at M, in
// order, are the snapshot. If it does not fit on the first page it is stored in Redis
// under a fresh random id (SNAPSHOT_TTL_SECONDS), so later pages show the same moment and
// two devices never share one; the cursor carries its id, M and how far the reader got.
// After the snapshot come the replays that had ended by M: the viewer's replay queue
// (replay-store.ts) read below M, continuing in Postgres past its cached tail. A session
// in the snapshot was not ended at M, so it is never among those replays: each session
// appears once. A replay-phase cursor needs no snapshot (it carries M and the last replay
// shown). A cursor whose snapshot has expired is a 410 `cursor_expired`.
//
// A session is shown as it was at M: a snapshot entry that started, ended or was
// cancelled since is still shown with its status and times of M.
import { getSql } from "@/db";
import type { Page, Position } from "@/lib/cursor";
import { AppError, badRequest } from "@/lib/errors";
import { getRedis, isRedisUnavailable, redisAvailable, redisKey } from "@/lib/redis";
import type { TimelineEntry } from "@/lib/feed/timeline-store";
import { decodeLiveCursor, encodeLiveCursor } from "./cursor";
import { compareSessions, loadSessionRows, sessionAt, type LiveSessionDto, type SessionRow } from "./dto";
import { ensureHostSets, pullHostSessions, readHostSets } from "./host-store";
import { pullReplays, takeReplays } from "./replay-store";

export const SNAPSHOT_TTL_SECONDS = 600;
/** Rounds of reading past replays that are no longer shown before a short page is returned. */
const MAX_ROUNDS = 6;

export interface LiveFeedPage extends Page<LiveSessionDto> {
  /** M: the moment (ms) this paging session shows. */
  moment: number;
}

export async function getLiveFeed(args: { viewerId: string; cursor?: string; limit: number }): Promise<Page<LiveSessionDto>> {
  const { items, nextCursor } = await readLiveFeed(args);
  return { items, nextCursor };
}

/** A page of the Live feed, with the moment M its paging session shows. */
export async function readLiveFeed({ viewerId, cursor, limit }: { viewerId: string; cursor?: string; limit: number }): Promise<LiveFeedPage> {
  const position = decodeLiveCursor(cursor);
  if (!position) return firstPage(viewerId, limit);
  if (position.phase === "replays") {
    const { items, more } = await collectReplays({ viewerId, moment: position.moment, after: position.after, need: limit });
    return finish(position.moment, items, more);
  }
  const snapshot = await loadSnapshot(position.snapshotId);
  if (!snapshot) throw new AppError("cursor_expired", 410, "This page of the Live feed has expired: load the feed again from the start.");
  if (snapshot.viewerId !== viewerId || snapshot.moment !== position.moment || position.index > snapshot.ids.length) throw invalidCursor();
  const ids = snapshot.ids.slice(position.index, position.index + limit);
  const rows = await loadSessionRows(ids, viewerId);
  const items = ids.flatMap((id) => {
    const dto = rows.get(id) && sessionAt(rows.get(id)!, snapshot.moment);
    return dto ? [dto] : [];
  });
  const shown = position.index + ids.length;
  if (shown < snapshot.ids.length) {
    return { items, moment: snapshot.moment, nextCursor: encodeLiveCursor({ phase: "snapshot", snapshotId: position.snapshotId, moment: snapshot.moment, index: shown }) };
  }
  const replays = await collectReplays({ viewerId, moment: snapshot.moment, need: limit - ids.length });
  return finish(snapshot.moment, [...items, ...replays.items], replays.more);
}

async function firstPage(viewerId: string, limit: number): Promise<LiveFeedPage> {
  const moment = Date.now();
  const start = replayStart(moment);
  // The replays' first read does not wait for the hosts: both go out at once.
  const [hostIds, firstReplays] = await Promise.all([followedHosts(viewerId), readReplays(viewerId, start, limit + 1)]);
  const candidates = await hostCandidates(hostIds, moment);
  const rows = await loadSessionRows([...candidates, ...firstReplays.map((e) => e.id)], viewerId);
  const snapshot = candidates
    .flatMap((id) => {
      const row = rows.get(id);
      const dto = row && sessionAt(row, moment);
      return dto && dto.status !== "ended" ? [dto] : [];
    })
    .sort(compareSessions);

  if (snapshot.length > limit) {
    const snapshotId = crypto.randomUUID();
    await storeSnapshot(snapshotId, { viewerId, moment, ids: snapshot.map((s) => s.id) });
    return { items: snapshot.slice(0, limit), moment, nextCursor: encodeLiveCursor({ phase: "snapshot", snapshotId, moment, index: limit }) };
  }
  const replays = await collectReplays({ viewerId, moment, need: limit - snapshot.length, first: { entries: firstReplays, want: limit + 1, rows } });
  return finish(moment, [...snapshot, ...replays.items], replays.more);
}

function finish(moment: number, items: LiveSessionDto[], more: Position | "start" | null): LiveFeedPage {
  if (more === null) return { items, moment, nextCursor: null };
  return { items, moment, nextCursor: encodeLiveCursor({ phase: "replays", moment, ...(more === "start" ? {} : { after: more }) }) };
}

/** Just above M: the replays "strictly older" than it are those that ended at M or before. */
const replayStart = (moment: number): Position => ({ t: moment + 1, id: "0" });

/**
 * Up to `need` replays of the viewer's followed hosts that had ended by M, strictly older
 * than `after`, and where the next page continues (null: nothing more). Queue entries
 * whose host is no longer followed are skipped (an unfollow's clean-up may not have run).
 */
async function collectReplays({
  viewerId,
  moment,
  after,
  need,
  first,
}: {
  viewerId: string;
  moment: number;
  after?: Position;
  need: number;
  first?: { entries: TimelineEntry[]; want: number; rows: Map<string, SessionRow> };
}): Promise<{ items: LiveSessionDto[]; more: Position | "start" | null }> {
  const found: Array<{ dto: LiveSessionDto; entry: TimelineEntry }> = [];
  let position = after ?? replayStart(moment);
  let want = first?.want ?? need + 1;
  let entries = first?.entries ?? (await readReplays(viewerId, position, want));
  let rows = first?.rows ?? (await loadSessionRows(entries.map((e) => e.id), viewerId));
  for (let round = 1; ; round++) {
    for (const entry of entries) {
      const row = rows.get(entry.id);
      const dto = row?.followed ? sessionAt(row, moment) : null;
      if (dto?.status === "ended") found.push({ dto, entry });
    }
    if (found.length > need) {
      return { items: found.slice(0, need).map((f) => f.dto), more: need === 0 ? (after ?? "start") : found[need - 1]!.entry };
    }
    if (entries.length < want) return { items: found.map((f) => f.dto), more: null };
    position = entries.at(-1)!;
    if (round === MAX_ROUNDS) return { items: found.map((f) => f.dto), more: position };
    want = Math.min(want * 2, 400);
    entries = await readReplays(viewerId, position, want);
    rows = await loadSessionRows(entries.map((e) => e.id), viewerId);
  }
}

/** Replays from the queue (Postgres past its tail), or from Postgres while Redis is out. */
async function readReplays(viewerId: string, after: Position, limit: number): Promise<TimelineEntry[]> {
  if (!redisAvailable()) return pullReplays({ viewerId, after, limit });
  try {
    return await takeReplays({ viewerId, after, limit });
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    return pullReplays({ viewerId, after, limit });
  }
}

/** The hosts the viewer follows. */
async function followedHosts(viewerId: string): Promise<string[]> {
  const rows = await getSql()<Array<{ id: string }>>`select followee_id::text as id from follows where follower_id = ${viewerId}`;
  return rows.map((r) => r.id);
}

/**
 * The sessions that may have been live or upcoming at M: from the hosts' Redis sets, the
 * missing ones rebuilt (or, when that is not ready in time, read from Postgres).
 */
async function hostCandidates(hostIds: string[], moment: number): Promise<string[]> {
  if (hostIds.length === 0) return [];
  if (!redisAvailable()) return pullHostSessions(hostIds, { goneAfter: moment });
  try {
    const sets = await readHostSets(hostIds, { goneAfter: moment });
    const ids = sets.flatMap((s) => s ?? []);
    const missing = hostIds.filter((_, i) => sets[i] === null);
    if (missing.length === 0) return ids;
    const notReady = await ensureHostSets(missing);
    const ready = missing.filter((h) => !notReady.includes(h));
    const reread = await readHostSets(ready, { goneAfter: moment });
    const stillMissing = [...notReady, ...ready.filter((_, i) => reread[i] === null)];
    return [...ids, ...reread.flatMap((s) => s ?? []), ...(await pullHostSessions(stillMissing, { goneAfter: moment }))];
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    return pullHostSessions(hostIds, { goneAfter: moment });
  }
}

interface Snapshot {
  viewerId: string;
  moment: number;
  ids: string[];
}

const snapshotKey = (id: string) => redisKey("lsnap", id);

async function storeSnapshot(id: string, snapshot: Snapshot): Promise<void> {
  await getRedis().set(snapshotKey(id), JSON.stringify({ v: snapshot.viewerId, m: snapshot.moment, ids: snapshot.ids }), { ex: SNAPSHOT_TTL_SECONDS });
}

/** The snapshot, its TTL refreshed (a reader still paging keeps it); null once it has expired. */
async function loadSnapshot(id: string): Promise<Snapshot | null> {
  const raw = await getRedis().getex(snapshotKey(id), { ex: SNAPSHOT_TTL_SECONDS });
  if (raw === null || raw === undefined) return null;
  const parsed = JSON.parse(String(raw)) as { v: string; m: number; ids: string[] };
  return { viewerId: parsed.v, moment: parsed.m, ids: parsed.ids };
}

const invalidCursor = () => badRequest("invalid_cursor", "The cursor is not valid: use the nextCursor of a previous page.");
