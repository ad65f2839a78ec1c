import "server-only";
// A reader's view (truth.ts `readerView`: the superstars whose lists their feed pulls, and
// the accounts it hides) cached in Redis, so that a warm feed read asks Postgres one
// question (hydrating the page) instead of two, and reads the view in the same Redis
// request as the timeline.
//
// Invalidation by version stamps, never by trusting a delete to win a race:
// - `vw:{reader}` is a hash: `g`, a counter bumped by every change to the reader's
//   follows, mutes, blocks and showReposts settings, and `v`, the view with the `g` and the
//   superstar epoch that were current *before* Postgres was asked for it.
// - `vw:{superstars}` is the epoch, bumped when an account is flagged superstar (which
//   changes the view of all its followers at once).
// A stored view counts only while both stamps still match. A change that commits while a
// reader is computing its view bumps a stamp after the reader read it, so the stale view
// is written but never used; a view computed after the change sees it in Postgres.
//
// Who bumps: the writer, right after its transaction commits (so its own next read sees the
// change), and again the change's event handler (lib/feed/follow-sync.ts, inngest/functions/
// reader-views.ts), which Inngest retries until it succeeds. While Redis is unavailable
// feeds are read from Postgres (home-feed.ts) and no cached view is used; when a process
// finds Redis back after an outage it makes every stored view stale (the epoch), since
// changes made meanwhile could not bump theirs and their handlers' next retry may be far off.
import { getRedis, onRedisRecovered, redisKey, type RedisPipeline } from "@/lib/redis";
import { TIMELINE_TTL_SECONDS } from "./timeline-store";
import { readerView, type ReaderView } from "./truth";

const viewKey = (readerId: string) => redisKey("vw", readerId);
const epochKey = () => redisKey("vw", "superstars");

/** A stored view with the stamps it was computed under. */
interface StoredView {
  g: number;
  e: number;
  /** Whether it was computed for a model that pulls superstars (1) or not (0). */
  s: 0 | 1;
  /** Pulled accounts: [id, showReposts 1/0]. */
  p: Array<[string, 0 | 1]>;
  h: string[];
}

/** What the read pipeline brought back about the view: the view if still valid, and the current stamps. */
export interface ViewLookup {
  view: ReaderView | null;
  stamps: { g: number; e: number };
}

/**
 * Queues the view's read on a pipeline the caller sends (two commands, no script, so it
 * rides along with the timeline read on a Redis Cluster too); returns the parser of their
 * replies, which start at `replies[0]`.
 */
export function queueViewRead(p: RedisPipeline, readerId: string, pullSuperstars: boolean): ViewRead {
  p.hmget(viewKey(readerId), "g", "v");
  p.get(epochKey());
  const parse = ([hash, epoch]: readonly unknown[]): ViewLookup => {
    const fields = (hash ?? {}) as Record<string, unknown> | unknown[];
    const [g, v] = Array.isArray(fields) ? fields : [fields.g, fields.v];
    const stamps = { g: Number(g ?? 0), e: Number(epoch ?? 0) };
    return { view: parseView(v, stamps, pullSuperstars), stamps };
  };
  return Object.assign(parse, { commands: 2 });
}

export type ViewRead = ((replies: readonly unknown[]) => ViewLookup) & { commands: number };

function parseView(raw: unknown, stamps: { g: number; e: number }, pullSuperstars: boolean): ReaderView | null {
  if (typeof raw !== "string") return null;
  try {
    const stored = JSON.parse(raw) as StoredView;
    if (stored.g !== stamps.g || stored.e !== stamps.e || stored.s !== (pullSuperstars ? 1 : 0)) return null;
    return { pulled: stored.p.map(([id, show]) => ({ id, showReposts: show === 1 })), hidden: stored.h };
  } catch {
    return null;
  }
}

/**
 * The view from Postgres, stored under the stamps read before asking (`stamps` from the
 * same lookup). Storing is best effort: a failure only means the next read asks again.
 */
export async function loadAndStoreView(readerId: string, pullSuperstars: boolean, stamps: { g: number; e: number }): Promise<ReaderView> {
  const view = await readerView(readerId, { pullSuperstars });
  const stored: StoredView = { ...stamps, s: pullSuperstars ? 1 : 0, p: view.pulled.map((a) => [a.id, a.showReposts ? 1 : 0]), h: view.hidden };
  const p = getRedis().pipeline();
  p.hset(viewKey(readerId), { v: JSON.stringify(stored) });
  p.expire(viewKey(readerId), TIMELINE_TTL_SECONDS);
  await p.exec().catch((error: unknown) => console.warn("storing a reader view failed", { readerId, error: error instanceof Error ? error.message : String(error) }));
  return view;
}

/** The cached view of one reader, from Postgres when there is none: for callers without a pipeline of their own. */
export async function cachedReaderView(readerId: string, pullSuperstars: boolean): Promise<ReaderView> {
  const p = getRedis().pipeline();
  const parse = queueViewRead(p, readerId, pullSuperstars);
  const { view, stamps } = parse((await p.exec()) as unknown[]);
  return view ?? loadAndStoreView(readerId, pullSuperstars, stamps);
}

/** Makes the stored views of `readerIds` stale. Throws when Redis does (event handlers retry). */
export async function forgetReaderViews(readerIds: readonly string[]): Promise<void> {
  if (readerIds.length === 0) return;
  const p = getRedis().pipeline();
  for (const id of new Set(readerIds)) {
    p.hincrby(viewKey(id), "g", 1);
    p.hdel(viewKey(id), "v");
    p.expire(viewKey(id), TIMELINE_TTL_SECONDS);
  }
  await p.exec();
}

// After an outage every stored view is made stale: each reader's next read asks Postgres once.
onRedisRecovered(() => {
  forgetAllReaderViews().catch((error: unknown) => console.warn("reader views could not be invalidated after a Redis outage", { error: error instanceof Error ? error.message : String(error) }));
});

/** Makes every stored view stale: an account became a superstar. Throws when Redis does. */
export async function forgetAllReaderViews(): Promise<void> {
  await getRedis().incr(epochKey());
}

/**
 * The writer's bump, right after its commit: never fails the request whose change has
 * committed; the change's event handler bumps again.
 */
export async function readerViewsChanged(readerIds: readonly string[]): Promise<void> {
  await forgetReaderViews(readerIds).catch((error: unknown) =>
    console.warn("a reader view could not be invalidated now; the change's event will", { readerIds, error: error instanceof Error ? error.message : String(error) }),
  );
}

/** The same for a superstar flag. */
export async function allReaderViewsChanged(): Promise<void> {
  await forgetAllReaderViews().catch((error: unknown) =>
    console.warn("reader views could not be invalidated now; the flag's event will", { error: error instanceof Error ? error.message : String(error) }),
  );
}
