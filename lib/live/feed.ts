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
// under a fresh random id (snapshot-store.ts), so later pages show the same moment and
// two devices never share one; the cursor carries its id, M, how far the reader got and
// the last entry shown. After the snapshot come the replays that had ended by M: the
// viewer's replay queue (replay-store.ts) read below M, continuing in Postgres past its
// cached tail. A session in the snapshot was not ended at M, so it is never among those
// replays: each session appears once. A replay-phase cursor needs no snapshot (it carries
// M and the last replay shown). A cursor whose snapshot has expired is a 410
// `cursor_expired`.
//
// Redis out (its breaker open, or the call failing): the snapshot cannot be stored or
// loaded, and the Live tab must not become a 503. Then the page's cursor is a "recompute"
// one (M and the last entry shown), and each of its pages recomputes the snapshot at M and
// continues after that entry, storing what remains once Redis is back. A stored snapshot's
// cursor that finds Redis out does the same from its last entry. The order is a total one
// on times that never change, so the pages neither repeat nor skip across the switch. The
// candidates at a past M come from Postgres: every session live or upcoming now, or ended
// or cancelled since M.
//
// A session is shown as it was at M: a snapshot entry that started, ended or was
// cancelled since is still shown with its status and times of M.
import { getSql } from "@/db";
import type { Page, Position } from "@/lib/cursor";
import { AppError, badRequest } from "@/lib/errors";
import { isRedisUnavailable, redisAvailable, RedisUnavailableError } from "@/lib/redis";
import type { TimelineEntry } from "@/lib/feed/timeline-store";
import { decodeLiveCursor, encodeLiveCursor, type SnapshotKey } from "./cursor";
import { compareSessionKeys, compareSessions, loadSessionRows, sessionAt, sessionKey, type LiveSessionDto, type SessionRow } from "./dto";
import { ensureHostSets, pullHostSessions, readHostSets } from "./host-store";
import { pullReplays, takeReplays } from "./replay-store";
import { loadSnapshot, storeSnapshot } from "./snapshot-store";

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
  if (position.phase === "recompute") return recomputedPage({ viewerId, moment: position.moment, last: position.last, limit });
  const snapshot = await loadSnapshot(position.snapshotId);
  if (snapshot === "unavailable") {
    if (!position.last) throw new RedisUnavailableError("Redis is unavailable, and this Live feed cursor has no position to recompute its page from");
    return recomputedPage({ viewerId, moment: position.moment, last: position.last, limit });
  }
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
    const last = lastKey(items) ?? position.last;
    const next = { phase: "snapshot" as const, snapshotId: position.snapshotId, moment: snapshot.moment, index: shown, ...(last ? { last } : {}) };
    return { items, moment: snapshot.moment, nextCursor: encodeLiveCursor(next) };
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
  const entries = snapshotAt(candidates, rows, moment);
  return snapshotPage({ viewerId, moment, entries, limit, first: { entries: firstReplays, want: limit + 1, rows } });
}

/** The page after `last` of the snapshot at M, recomputed: its cursor could not, or cannot now, use a stored one. */
async function recomputedPage({ viewerId, moment, last, limit }: { viewerId: string; moment: number; last: SnapshotKey; limit: number }): Promise<LiveFeedPage> {
  const candidates = await pastCandidates(await followedHosts(viewerId), moment);
  const rows = await loadSessionRows(candidates, viewerId);
  const entries = snapshotAt(candidates, rows, moment).filter((s) => compareSessionKeys(sessionKey(s), last) > 0);
  return snapshotPage({ viewerId, moment, entries, limit });
}

/** The candidates that were live or upcoming at M, as they were then, in the contract's order. */
function snapshotAt(candidates: readonly string[], rows: Map<string, SessionRow>, moment: number): LiveSessionDto[] {
  return candidates
    .flatMap((id) => {
      const row = rows.get(id);
      const dto = row && sessionAt(row, moment);
      return dto && dto.status !== "ended" ? [dto] : [];
    })
    .sort(compareSessions);
}

/**
 * A page from the start of `entries` (the snapshot at M, or what remains of it), followed
 * by the replays when they begin on it. What does not fit is stored for the next pages;
 * when Redis cannot take it, the cursor says where to recompute from instead.
 */
async function snapshotPage({
  viewerId,
  moment,
  entries,
  limit,
  first,
}: {
  viewerId: string;
  moment: number;
  entries: LiveSessionDto[];
  limit: number;
  first?: { entries: TimelineEntry[]; want: number; rows: Map<string, SessionRow> };
}): Promise<LiveFeedPage> {
  if (entries.length > limit) {
    const items = entries.slice(0, limit);
    const last = lastKey(items)!;
    const snapshotId = await storeSnapshot({ viewerId, moment, ids: entries.map((s) => s.id) });
    const next = snapshotId ? { phase: "snapshot" as const, snapshotId, moment, index: limit, last } : { phase: "recompute" as const, moment, last };
    return { items, moment, nextCursor: encodeLiveCursor(next) };
  }
  const replays = await collectReplays({ viewerId, moment, need: limit - entries.length, first });
  return finish(moment, [...entries, ...replays.items], replays.more);
}

/** The place of the last live or upcoming session shown, where a recomputed page continues. */
function lastKey(items: readonly LiveSessionDto[]): SnapshotKey | undefined {
  const last = items.findLast((s) => s.status !== "ended");
  return last && (sessionKey(last) as SnapshotKey);
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

/**
 * The sessions that may have been live or upcoming at a past M, from Postgres. Not
 * `hostCandidates`: a host set rebuilt since M no longer holds the sessions that ended or
 * were cancelled meanwhile, where Postgres finds them (partial indexes).
 */
function pastCandidates(hostIds: string[], moment: number): Promise<string[]> {
  return pullHostSessions(hostIds, { goneAfter: moment });
}

const invalidCursor = () => badRequest("invalid_cursor", "The cursor is not valid: use the nextCursor of a previous page.");
