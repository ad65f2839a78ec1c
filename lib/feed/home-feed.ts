import "server-only";
// Reading the home feed: the hybrid model's read side.
//
// A page is a k-way merge of the reader's home timeline (what fan-out pushed: their own
// posts and those of the ordinary accounts they follow) and the outbox of every superstar
// they follow (pulled here, never pushed). Every list is a Redis cache (timeline-store.ts)
// that answers up to `want` entries strictly older than the cursor; a missing list is
// rebuilt (rebuild.ts) and a list whose cached tail runs out continues in Postgres
// (truth.ts) from the same position, so every list gives exactly its newest `want` entries
// below the cursor and their merge is exact. Entries are then hydrated in one query that
// drops deleted posts and posts by people the reader no longer follows, so a page never
// shows them even before the background removal has run; a page short of `limit` after
// that keeps reading.
//
// While Redis is unavailable (lib/redis-breaker.ts) a page is pulled from Postgres instead:
// the same truth the lists cache, below the same cursor, so a reader paging across the
// switch, either way, neither repeats nor skips a post.
import { decodeCursor, encodeCursor, type Page, type Position } from "@/lib/cursor";
import { badRequest } from "@/lib/errors";
import { hydratePosts, type PostDto } from "@/lib/posts/dto";
import { isRedisUnavailable, redisAvailable } from "@/lib/redis";
import { ensureList } from "./rebuild";
import { compareEntries, outboxRef, readLists, readNewer, timelineRef, type ListRef, type TimelineEntry } from "./timeline-store";
import { keepsTimelines, pullsSuperstars } from "./model";
import { followedSuperstars, loadFeed, loadOutbox, loadTimeline, pullFeed, pullNewer } from "./truth";

/** Rounds of reading past hidden entries before a short page is returned as it is. */
const MAX_ROUNDS = 8;
/** The most "new posts" the indicator counts ("20+"). */
export const NEWER_COUNT_CAP = 20;

export async function getHomeFeed({ viewerId, cursor, limit }: { viewerId: string; cursor?: string; limit: number }): Promise<Page<PostDto>> {
  const after = decodeCursor(cursor);
  if (!keepsTimelines()) return pullHomeFeed(viewerId, after, limit, pullFeed);
  if (!redisAvailable()) return pullHomeFeed(viewerId, after, limit, loadFeed);
  try {
    return await readCachedFeed(viewerId, after, limit);
  } catch (error) {
    // Nothing has been returned yet: the whole page comes from Postgres instead.
    if (!isRedisUnavailable(error)) throw error;
    return pullHomeFeed(viewerId, after, limit, loadFeed);
  }
}

/** A page from the cached lists (with Postgres past their tails). */
async function readCachedFeed(viewerId: string, after: Position | undefined, limit: number): Promise<Page<PostDto>> {
  let want = limit + 1; // one more than the page says whether anything older exists
  // The timeline read does not wait for the superstar lookup: both go out at once.
  const [superstars, [timeline]] = await Promise.all([pulledSuperstars(viewerId), takeFromLists([timelineRef(viewerId)], after, want)]);
  const refs = [timelineRef(viewerId), ...superstars.map(outboxRef)];
  let lists = [timeline!, ...(await takeFromLists(refs.slice(1), after, want))];

  const items: PostDto[] = [];
  let position = after;
  for (let round = 1; ; round++) {
    const merged = mergeLists(lists, want);
    items.push(...(await hydratePosts(merged.map((e) => e.id), viewerId, { inFeedOf: viewerId })));
    // Fewer than asked: every list has run out, there is nothing older.
    if (items.length > limit || merged.length < want) break;
    position = merged.at(-1)!;
    if (round === MAX_ROUNDS) {
      // A long run of hidden entries: the page is short, and the cursor says where to go on.
      return { items, nextCursor: encodeCursor(position) };
    }
    want = Math.min(want * 2, 400);
    lists = await takeFromLists(refs, position, want);
  }

  const page = items.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: items.length > limit && last ? encodeCursor(positionOf(last)) : null };
}

/**
 * How many posts newer than `since` (the newest post the reader has) are in their feed,
 * up to NEWER_COUNT_CAP: the "new posts" indicator. Redis, and no TTL refresh; a missing
 * timeline counts nothing (the reader's next page load rebuilds it), a missing superstar
 * outbox is built. Postgres while Redis is unavailable.
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
  const newer = await pullNewer({ userId: viewerId, since, limit: NEWER_COUNT_CAP });
  return (await hydratePosts(newer.map((e) => e.id), viewerId, { inFeedOf: viewerId })).length;
}

async function countCachedNewer(viewerId: string, position: Position): Promise<number> {
  const superstars = await pulledSuperstars(viewerId);
  const refs = [timelineRef(viewerId), ...superstars.map(outboxRef)];
  let lists = await readNewer(refs, { since: position, limit: NEWER_COUNT_CAP });
  // Outboxes are shared and cheap to build: a missing one is built, not counted as silent.
  const missingOutboxes = refs.filter((ref, i) => ref.kind === "ob" && lists[i] === null);
  if (missingOutboxes.length > 0) {
    await Promise.all(missingOutboxes.map(ensureList));
    lists = await readNewer(refs, { since: position, limit: NEWER_COUNT_CAP });
  }
  const newest = mergeLists(lists.map((l) => l ?? []), NEWER_COUNT_CAP);
  return (await hydratePosts(newest.map((e) => e.id), viewerId, { inFeedOf: viewerId })).length;
}

type FeedQuery = typeof pullFeed;

/**
 * A page from Postgres: one query for the page, one to hydrate it. The pure pull model
 * (FEED_MODEL=pull) runs the textbook query; a reader while Redis is unavailable gets the
 * bounded walk over the same posts.
 */
async function pullHomeFeed(viewerId: string, after: Position | undefined, limit: number, query: FeedQuery): Promise<Page<PostDto>> {
  const entries = await query({ userId: viewerId, after, limit: limit + 1 });
  const items = await hydratePosts(entries.slice(0, limit).map((e) => e.id), viewerId);
  const last = entries.length > limit ? entries[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(last) : null };
}

/** The superstars whose outboxes this reader's feed merges: none unless the model pulls them. */
function pulledSuperstars(viewerId: string): Promise<string[]> {
  return pullsSuperstars() ? followedSuperstars(viewerId) : Promise.resolve([]);
}

export function positionOf(post: Pick<PostDto, "id" | "createdAt">): Position {
  return { t: Date.parse(post.createdAt), id: post.id };
}

/**
 * For each list, its newest `want` entries strictly older than `after` (or all of them):
 * from Redis, rebuilding missing lists, continuing in Postgres past a cached tail, and
 * from Postgres alone when a rebuild is not ready in time.
 */
async function takeFromLists(refs: readonly ListRef[], after: Position | undefined, want: number): Promise<TimelineEntry[][]> {
  let pages = await readLists(refs, { after, limit: want });
  const missing = refs.filter((_, i) => pages[i]!.state === "missing");
  if (missing.length > 0) {
    await Promise.all(missing.map(ensureList));
    const reread = await readLists(missing, { after, limit: want });
    pages = pages.map((page) => (page.state === "missing" ? reread.shift()! : page));
  }
  return Promise.all(
    refs.map(async (ref, i) => {
      const page = pages[i]!;
      if (page.state === "missing") return loadList(ref, after, want);
      if (page.complete || page.entries.length >= want) return page.entries;
      // Past the cached tail: Postgres, from the last cached entry on.
      const rest = await loadList(ref, page.entries.at(-1) ?? after, want - page.entries.length);
      return [...page.entries, ...rest];
    }),
  );
}

function loadList(ref: ListRef, after: Position | undefined, limit: number): Promise<TimelineEntry[]> {
  return ref.kind === "tl" ? loadTimeline({ userId: ref.ownerId, after, limit }) : loadOutbox({ authorId: ref.ownerId, after, limit });
}

/** The newest `want` distinct entries of all lists (a post pushed before its author became a superstar is in two). */
function mergeLists(lists: readonly TimelineEntry[][], want: number): TimelineEntry[] {
  if (lists.length === 1) return lists[0]!.slice(0, want);
  const seen = new Set<string>();
  return lists
    .flat()
    .sort(compareEntries)
    .filter((e) => !seen.has(e.id) && Boolean(seen.add(e.id)))
    .slice(0, want);
}
