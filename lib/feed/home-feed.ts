import "server-only";
// Reading the home feed: the hybrid model's read side.
//
// A page is a k-way merge of the reader's home timeline (what fan-out pushed: their own
// posts, and the posts and reposts of the ordinary accounts they follow, each post once at
// its newest reason) and, for every superstar they follow, that superstar's outbox and
// reposts list (pulled here, never pushed). Every list is a Redis cache (timeline-store.ts)
// that answers up to `want` entries strictly older than the cursor; a missing list is
// rebuilt (rebuild.ts) and a list whose cached tail runs out continues in Postgres
// (truth.ts) from the same position, so every list gives exactly its newest `want` entries
// below the cursor and their merge is exact. A post can be in several lists (a superstar's
// repost of a post the timeline has): the merge keeps its newest entry, and an entry whose
// post has a newer one above the cursor, shown on an earlier page, is dropped here (a
// timeline entry) or when hydrating (a superstar's repost; feed-items.ts), so a paging
// session shows each post once. Entries are hydrated in one query that also drops those
// whose reason is gone; a page short of `limit` after that keeps reading.
//
// While Redis is unavailable (lib/redis-breaker.ts) a page is pulled from Postgres instead:
// the same truth the lists cache, below the same cursor, so a reader paging across the
// switch, either way, neither repeats nor skips a post.
import { decodeCursor, encodeCursor, type Page, type Position } from "@/lib/cursor";
import { badRequest } from "@/lib/errors";
import { getRedis, isRedisUnavailable, redisAvailable, type RedisPipeline } from "@/lib/redis";
import { feedPosition, type FeedItemDto } from "./feed-item";
import { hydrateFeed } from "./feed-items";
import { ensureList } from "./rebuild";
import { timelinePositions } from "./reconcile";
import { loadAndStoreView, queueViewRead } from "./reader-view";
import { compareEntries, listKey, outboxRef, positionsIn, queueListReads, queueNewerReads, readLists, readNewer, repostsRef, timelineRef, type ListRef, type SlotReads, type TimelineEntry, type TimelinePage } from "./timeline-store";
import { feedModel, keepsTimelines, pullsSuperstars } from "./model";
import { loadFeed, loadList, pullFeed, pullNewer, readerView, type PulledAccount, type ReaderView } from "./truth";

/** Rounds of reading past hidden entries before a short page is returned as it is. */
const MAX_ROUNDS = 8;
/** The most "new posts" the indicator counts ("20+"). */
export const NEWER_COUNT_CAP = 20;

export async function getHomeFeed({ viewerId, cursor, limit }: { viewerId: string; cursor?: string; limit: number }): Promise<Page<FeedItemDto>> {
  const after = decodeCursor(cursor);
  // The pure pull models: the textbook query, or the per-followee walk merged (model.ts).
  if (!keepsTimelines()) return pullHomeFeed(viewerId, after, limit, feedModel() === "pull" ? pullFeed : loadFeed);
  if (!redisAvailable()) return pullHomeFeed(viewerId, after, limit, loadFeed);
  try {
    return await readCachedFeed(viewerId, after, limit);
  } catch (error) {
    // Nothing has been returned yet: the whole page comes from Postgres instead.
    if (!isRedisUnavailable(error)) throw error;
    return pullHomeFeed(viewerId, after, limit, loadFeed);
  }
}

/** The lists a reader's feed merges: their timeline first, then each pulled account's. */
function feedLists(viewerId: string, pulled: readonly PulledAccount[]): ListRef[] {
  return [timelineRef(viewerId), ...pulled.flatMap((a) => (a.showReposts ? [outboxRef(a.id), repostsRef(a.id)] : [outboxRef(a.id)]))];
}

/** A page from the cached lists (with Postgres past their tails). */
async function readCachedFeed(viewerId: string, after: Position | undefined, limit: number): Promise<Page<FeedItemDto>> {
  let want = limit + 1; // one more than the page says whether anything older exists
  const { view, refs, lists: firstLists } = await firstTake(viewerId, after, want);
  let lists = firstLists;
  const pulledIds = view.pulled.map((a) => a.id);

  const items: FeedItemDto[] = [];
  let position = after;
  for (let round = 1; ; round++) {
    const merged = mergeLists(lists, want);
    // Nothing is above the first read of a first page.
    const entries = position ? await withoutNewerInTimeline(viewerId, merged, lists[0]!) : merged.map((m) => m.entry);
    items.push(...(await hydrateFeed({ viewerId, entries, pulled: pulledIds, hidden: view.hidden })));
    // Fewer than asked: every list has run out, there is nothing older.
    if (items.length > limit || merged.length < want) break;
    position = merged.at(-1)!.entry;
    if (round === MAX_ROUNDS) {
      // A long run of hidden entries: the page is short, and the cursor says where to go on.
      return { items, nextCursor: encodeCursor(position) };
    }
    want = Math.min(want * 2, 400);
    lists = await takeFromLists(refs, position, want);
  }

  const page = items.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: items.length > limit && last ? encodeCursor(feedPosition(last)) : null };
}

/**
 * Drops the pulled lists' entries whose post the reader's timeline holds higher up, above
 * the position read below: shown on an earlier page (higher up within the page read, the
 * merge has already kept only the newest). The timeline's cache answers when it reaches
 * down to that position; past its cached part, Postgres does.
 */
async function withoutNewerInTimeline(viewerId: string, merged: readonly MergedEntry[], timeline: ListTake): Promise<TimelineEntry[]> {
  const pulled = merged.filter((m) => m.list > 0).map((m) => m.entry);
  if (pulled.length === 0) return merged.map((m) => m.entry);
  const ids = pulled.map((e) => e.id);
  const higher = timeline.cachedAbove
    ? await positionsIn(timelineRef(viewerId), ids)
    : await timelinePositions(ids.map((postId) => ({ userId: viewerId, postId }))).then((byKey) => ids.map((id) => byKey.get(`${viewerId}:${id}`) ?? null));
  const drop = new Set(ids.filter((id, i) => higher[i] !== null && higher[i]! > pulled[i]!.t));
  return merged.filter((m) => m.list === 0 || !drop.has(m.entry.id)).map((m) => m.entry);
}

/**
 * How many posts newer than `since` (the newest post the reader has) are in their feed,
 * up to NEWER_COUNT_CAP: the "new posts" indicator. Redis, and no TTL refresh; a missing
 * timeline counts nothing (the reader's next page load rebuilds it), a missing pulled list
 * is built. Postgres while Redis is unavailable.
 */
export async function countNewerPosts({ viewerId, since }: { viewerId: string; since: string }): Promise<number> {
  const position = decodeCursor(since);
  if (!position) throw badRequest("invalid_cursor", "`since` is required: the position of the newest post shown.");
  if (!keepsTimelines() || !redisAvailable()) return pullNewerCount(viewerId, position);
  try {
    return await countCachedNewer(viewerId, position);
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    return pullNewerCount(viewerId, position);
  }
}

async function pullNewerCount(viewerId: string, since: Position): Promise<number> {
  const [entries, view] = await Promise.all([pullNewer({ userId: viewerId, since, limit: NEWER_COUNT_CAP }), viewOf(viewerId)]);
  return (await hydrateFeed({ viewerId, entries, hidden: view.hidden })).length;
}

async function countCachedNewer(viewerId: string, position: Position): Promise<number> {
  const since = { since: position, limit: NEWER_COUNT_CAP };
  // One Redis request: the view, and the newer entries of the lists it pulled last time.
  const { view, refs, read } = await withView(viewerId, (p, guessed) => queueNewerReads(p, guessed, since));
  let lists = refs.map((ref) => read.get(listKey(ref)));
  const unread = refs.filter((_, i) => lists[i] === undefined);
  if (unread.length > 0) {
    const more = await readNewer(unread, since);
    lists = lists.map((l) => (l === undefined ? more.shift()! : l));
  }
  // Pulled lists are shared and cheap to build: a missing one is built, not counted as silent.
  const missingPulled = refs.filter((ref, i) => ref.kind !== "tl" && lists[i] === null);
  if (missingPulled.length > 0) {
    await Promise.all(missingPulled.map((ref) => ensureList(ref)));
    lists = await readNewer(refs, since);
  }
  const newest = mergeLists(lists.map((l) => ({ entries: l ?? [], cachedAbove: true })), NEWER_COUNT_CAP).map((m) => m.entry);
  return (await hydrateFeed({ viewerId, entries: newest, pulled: view.pulled.map((a) => a.id), hidden: view.hidden })).length;
}

type FeedQuery = typeof pullFeed;

/**
 * A page from Postgres: one query for the page, one to hydrate it. The pure pull model
 * (FEED_MODEL=pull) runs the textbook query; the honest pull (FEED_MODEL=pull-merge) and a
 * reader while Redis is unavailable get the bounded walk over the same posts.
 */
async function pullHomeFeed(viewerId: string, after: Position | undefined, limit: number, query: FeedQuery): Promise<Page<FeedItemDto>> {
  const [entries, view] = await Promise.all([query({ userId: viewerId, after, limit: limit + 1 }), readerView(viewerId, { pullSuperstars: false })]);
  const items = await hydrateFeed({ viewerId, entries: entries.slice(0, limit), hidden: view.hidden });
  const last = entries.length > limit ? entries[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(last) : null };
}

/** Whom this reader's feed pulls (superstars, when the model pulls them) and hides, from Postgres. */
function viewOf(viewerId: string): Promise<ReaderView> {
  return readerView(viewerId, { pullSuperstars: pullsSuperstars() });
}

/**
 * Whom each recent reader's feed pulled last time, by reader: a guess that lets the first
 * request read their pulled lists along with the view and the timeline. The view read in
 * that request has the last word; a wrong guess costs one more request, never a wrong page.
 */
const pulledGuess = new Map<string, readonly PulledAccount[]>();
const PULLED_GUESSES = 50_000;

function rememberPulled(viewerId: string, pulled: readonly PulledAccount[]): void {
  pulledGuess.delete(viewerId); // re-inserted last: Map order is the eviction order
  if (pulled.length > 0) pulledGuess.set(viewerId, pulled);
  if (pulledGuess.size > PULLED_GUESSES) pulledGuess.delete(pulledGuess.keys().next().value!);
}

/**
 * The reader's view (cached in Redis, reader-view.ts), read in one Redis request with the
 * commands `queue` adds for the lists the reader pulled last time (and their timeline).
 * Postgres is asked for the view only when it changed. Returns the view, the lists its
 * feed merges, and the replies `queue`'s parser gave, by list key, for the lists guessed:
 * a list the guess missed is not in `read`, and the caller reads it.
 */
async function withView<T>(
  viewerId: string,
  queue: (p: RedisPipeline, guessed: ListRef[]) => SlotReads<T>,
): Promise<{ view: ReaderView; refs: ListRef[]; read: Map<string, T> }> {
  const pulls = pullsSuperstars();
  const guessed = feedLists(viewerId, pulledGuess.get(viewerId) ?? []);
  const p = getRedis().pipeline();
  const viewRead = queueViewRead(p, viewerId, pulls);
  const listReads = queue(p, guessed);
  const replies = (await p.exec()) as unknown[];
  const lookup = viewRead(replies);
  const read = new Map(listReads(replies.slice(viewRead.commands)).map((r, i) => [listKey(guessed[i]!), r]));
  const view = lookup.view ?? (await loadAndStoreView(viewerId, pulls, lookup.stamps));
  rememberPulled(viewerId, view.pulled);
  return { view, refs: feedLists(viewerId, view.pulled), read };
}

/** The reader's view and the first take of every list their feed merges: one Redis request when the guess was right. */
async function firstTake(viewerId: string, after: Position | undefined, want: number): Promise<{ view: ReaderView; refs: ListRef[]; lists: ListTake[] }> {
  const { view, refs, read: pages } = await withView(viewerId, (p, guessed) => queueListReads(p, guessed, { after, limit: want }));
  const unread = refs.filter((ref) => !pages.has(listKey(ref)));
  if (unread.length > 0) (await readLists(unread, { after, limit: want })).forEach((page, i) => pages.set(listKey(unread[i]!), page));
  return { view, refs, lists: await completeTakes(refs, refs.map((ref) => pages.get(listKey(ref))!), after, want) };
}

interface ListTake {
  entries: TimelineEntry[];
  /** Whether the list's cache holds everything it has above the position read below (so Redis can say what is there). */
  cachedAbove: boolean;
}

/**
 * For each list, its newest `want` entries strictly older than `after` (or all of them):
 * from Redis, rebuilding missing lists, continuing in Postgres past a cached tail, and
 * from Postgres alone when a rebuild is not ready in time.
 */
function takeFromLists(refs: readonly ListRef[], after: Position | undefined, want: number): Promise<ListTake[]> {
  return readLists(refs, { after, limit: want }).then((pages) => completeTakes(refs, pages, after, want));
}

/** takeFromLists from the lists' pages as read from Redis. */
async function completeTakes(refs: readonly ListRef[], read: readonly TimelinePage[], after: Position | undefined, want: number): Promise<ListTake[]> {
  let pages = read;
  const missing = refs.filter((_, i) => pages[i]!.state === "missing");
  if (missing.length > 0) {
    await Promise.all(missing.map((ref) => ensureList(ref)));
    const reread = await readLists(missing, { after, limit: want });
    pages = pages.map((page) => (page.state === "missing" ? reread.shift()! : page));
  }
  return Promise.all(
    refs.map(async (ref, i) => {
      const page = pages[i]!;
      if (page.state === "missing") return { entries: await loadList(ref, after, want), cachedAbove: false };
      // An entry read from the cache below the position: the cache reaches down past it.
      const cachedAbove = page.complete || page.entries.length > 0;
      if (page.complete || page.entries.length >= want) return { entries: page.entries, cachedAbove };
      // Past the cached tail: Postgres, from the last cached entry on.
      const rest = await loadList(ref, page.entries.at(-1) ?? after, want - page.entries.length);
      return { entries: [...page.entries, ...rest], cachedAbove };
    }),
  );
}

interface MergedEntry {
  entry: TimelineEntry;
  /** Which list it came from (0: the timeline). */
  list: number;
}

/** The newest `want` distinct posts of all lists, each at its newest entry. */
function mergeLists(lists: readonly ListTake[], want: number): MergedEntry[] {
  if (lists.length === 1) return lists[0]!.entries.slice(0, want).map((entry) => ({ entry, list: 0 }));
  const seen = new Set<string>();
  return lists
    .flatMap((l, list) => l.entries.map((entry) => ({ entry, list })))
    .sort((a, b) => compareEntries(a.entry, b.entry))
    .filter((m) => !seen.has(m.entry.id) && Boolean(seen.add(m.entry.id)))
    .slice(0, want);
}
