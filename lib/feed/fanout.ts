import "server-only";
// Fan-out on write, the push half of the hybrid model, for posts and reposts alike.
//
// The dispatcher (one run per post or repost) pages through the author's recently active followers,
// most recently active first (a large, mostly active audience: all followers, in id order,
// `fanoutAudience`), and sends one batch event per page of them (FANOUT_BATCH_SIZE, more for
// a large audience: `fanoutBatchSize`); the batch function writes the post into those
// followers' timelines in one Redis script. An audience that fits one batch is delivered
// by the dispatcher itself, without a batch event. A page of an audience pushed whole goes
// out as a range of follower ids, not the ids themselves (`sendBatches`).
// Only timelines that exist are written ("online push"): a follower without one gets the
// post when their timeline is rebuilt ("offline pull"). Superstars are not pushed at all:
// their posts go to their outbox and their reposts to their reposts list, which readers
// pull. A repost is pushed like a post, at the repost's time: ZADD GT moves a post the
// follower already has up instead of adding it twice. An undone repost moves the post
// back to its next reason (reconcile.ts). Followers for whom the post is no reason (a
// reply they are not meant to see, a muted author, showReposts off) are filtered out per
// batch. Everything is idempotent: batch
// event ids are derived from their content, and re-writing a post is a no-op.
import { createHash } from "node:crypto";
import { getSql } from "@/db";
import { inngest } from "@/lib/events/client";
import { FANOUT_BATCH_MAX, FANOUT_BATCH_SIZE, fanoutBatch } from "@/lib/events/schemas";
import { atMs } from "@/lib/keyset-sql";
import { keepsTimelines, pullsSuperstars } from "./model";
import { reconcilePlacements, TimelineRebuilding } from "./reconcile";
import { recordFanoutProgress } from "./stats";
import {
  outboxRef,
  positionInLists,
  pushToLists,
  removeFromLists,
  repostsRef,
  setPositions,
  timelineRef,
  TIMELINE_TTL_SECONDS,
  type ListRef,
  type TimelineEntry,
} from "./timeline-store";
import { hiddenIds, publicationShown } from "./truth";

/**
 * Followers per send request (10 events at FANOUT_BATCH_SIZE, 4 at FANOUT_BATCH_MAX): small,
 * so the first batches start while the dispatcher still pages, and a request stays < 0.5 MB.
 */
const SEND_FOLLOWERS = 20_000;
const SENDS_IN_FLIGHT = 2;
/** About this many batches per fan-out, within [FANOUT_BATCH_SIZE, FANOUT_BATCH_MAX] followers each. */
const BATCHES_WANTED = 20;
/**
 * Up to this many followers, the active ones are read and ordered in one query: the
 * author's followers along follows_followee_idx, each checked in users (~2 µs each), then
 * sorted. Above it, the walk along users_last_active_idx, whose cost grows with the active
 * users it passes rather than with the audience: 2.0 s for a 100k audience among a million
 * users, where one query takes a fraction of that (bench, large world).
 */
const SMALL_AUDIENCE = 200_000;
/**
 * An audience of more than DENSE_AUDIENCE followers, at least DENSE_SHARE of them active (by
 * sample), is pushed to all of its followers, in follower order, rather than walked for its
 * active ones in activity order. The push skips a follower without a timeline in one
 * EXISTS; finding the active ones in Postgres costs far more per follower (figures at
 * `fanoutAudience`).
 */
const DENSE_AUDIENCE = 10 * FANOUT_BATCH_SIZE;
const DENSE_SHARE = 0.5;
/**
 * Who counts as active: seen within a timeline's TTL plus a day. Anyone with a timeline
 * read it (or had it rebuilt) within the TTL, and both stamp last_active_at.
 */
const ACTIVE_WINDOW_MS = (TIMELINE_TTL_SECONDS + 24 * 3600) * 1000;

export type FanoutOp = "add" | "remove";

interface PostFacts {
  authorId: string;
  t: number;
  deleted: boolean;
  replyToUserId: string | null;
}

interface AccountFacts {
  isSuperstar: boolean;
  followersCount: number;
  /** Someone muted this account: its posts' fan-out checks each follower. */
  muted: boolean;
}

async function loadPost(postId: string): Promise<PostFacts | undefined> {
  const [row] = await getSql()<Array<{ author_id: string; t: string; deleted: boolean; reply_to_user_id: string | null }>>`
    select p.author_id::text, (extract(epoch from p.created_at) * 1000)::int8::text as t, p.deleted_at is not null as deleted,
           p.reply_to_user_id::text
    from posts p where p.id = ${postId}`;
  return row && { authorId: row.author_id, t: Number(row.t), deleted: row.deleted, replyToUserId: row.reply_to_user_id };
}

/**
 * A batch's check that the post is still there, remembered per process for a moment: the
 * batches of one fan-out ask about the same post dozens of times a second. A stale "not
 * deleted" is harmless: the write it lets through could already land between the check and
 * the push, and reads drop deleted posts (feed-items.ts); the entry only takes a slot.
 */
const POST_CHECK_TTL_MS = 2000;
const checkedPosts = new Map<string, { facts: PostFacts; until: number }>();

async function checkPost(postId: string): Promise<PostFacts | undefined> {
  const now = Date.now();
  const known = checkedPosts.get(postId);
  if (known && known.until > now) return known.facts;
  const facts = await loadPost(postId);
  if (facts) {
    if (checkedPosts.size >= 1000) checkedPosts.clear();
    checkedPosts.set(postId, { facts, until: now + POST_CHECK_TTL_MS });
  }
  return facts;
}

async function loadAccount(userId: string): Promise<AccountFacts> {
  const [row] = await getSql()<Array<{ is_superstar: boolean; followers_count: number; muted: boolean }>>`
    select u.is_superstar, u.followers_count, exists (select 1 from mutes m where m.muted_id = u.id) as muted
    from users u where u.id = ${userId}`;
  return { isSuperstar: row?.is_superstar ?? false, followersCount: row?.followers_count ?? 0, muted: row?.muted ?? false };
}

/** The time (ms) of `userId`'s repost of `postId`, if it exists and the post is live. */
async function repostTime(userId: string, postId: string): Promise<number | null> {
  const [row] = await getSql()<Array<{ t: string }>>`
    select (extract(epoch from r.created_at) * 1000)::int8::text as t from reposts r join posts p on p.id = r.post_id
    where r.user_id = ${userId} and r.post_id = ${postId} and p.deleted_at is null`;
  return row ? Number(row.t) : null;
}

export interface DispatchResult {
  /** What happened: pushed to followers, written to a superstar's own list, or nothing. */
  route: "followers" | "outbox" | "skipped";
  batches: number;
  /** Followers pushed to: the active ones, or all of a large, mostly active audience. */
  followers: number;
}

const SKIPPED: DispatchResult = { route: "skipped", batches: 0, followers: 0 };

/** The dispatcher of a post: `add` for a new post, `remove` for a deleted one. */
export async function dispatchFanout({ op, postId }: { op: FanoutOp; postId: string }): Promise<DispatchResult> {
  if (!keepsTimelines()) return SKIPPED;
  const post = await loadPost(postId);
  if (!post || (op === "add" && post.deleted)) return SKIPPED;
  const author = await loadAccount(post.authorId);
  const pulled = author.isSuperstar && pullsSuperstars();
  const entry: TimelineEntry = { id: postId, t: post.t };
  // The author's own timeline: createPost wrote it already; this covers a failed write.
  await write(op, [timelineRef(post.authorId)], entry);

  if (pulled || op === "remove") await write(op, [outboxRef(post.authorId)], entry);
  if (pulled) return { route: "outbox", batches: 0, followers: 0 };
  // Replies reach only some followers (truth.ts), and a muted author's posts not those who muted them.
  const filter = op === "add" && (author.muted || (post.replyToUserId !== null && post.replyToUserId !== post.authorId));
  return sendBatches({ op, postId, authorId: post.authorId, t: post.t, filter }, author.followersCount);
}

/**
 * The dispatcher of a repost (`add`) or an undone one (`remove`, with the time the repost
 * had). A superstar's goes to their reposts list, read by their followers at read time;
 * anyone else's to their active followers' timelines, like a post.
 */
export async function dispatchRepost({ op, reposterId, postId, t }: { op: FanoutOp; reposterId: string; postId: string; t: number }): Promise<DispatchResult> {
  if (!keepsTimelines()) return SKIPPED;
  const reposter = await loadAccount(reposterId);
  if (reposter.isSuperstar && pullsSuperstars()) {
    // Whatever happened last: the list gets the repost as Postgres has it now.
    const now = await repostTime(reposterId, postId);
    const ref = repostsRef(reposterId);
    const [result] = await setPositions([{ ref, updates: [{ id: postId, t: now }] }]);
    if (result === "rebuilding") throw new TimelineRebuilding([reposterId]);
    // A repost from before the account became a superstar was pushed to timelines: an
    // undo must move those back too (only timelines holding the post at that repost move).
    if (op === "remove") return sendBatches({ op: "reconcile", postId, authorId: reposterId, reposterId, t }, reposter.followersCount);
    return { route: "outbox", batches: 0, followers: 0 };
  }
  if (op === "add" && (await repostTime(reposterId, postId)) !== t) return SKIPPED; // undone (or redone) since
  return sendBatches({ op: op === "add" ? "add" : "reconcile", postId, authorId: reposterId, reposterId, t, filter: true }, reposter.followersCount);
}

/**
 * Followers per batch for an audience of `audience`: FANOUT_BATCH_SIZE up to 40,000, then
 * about a BATCHES_WANTED-th of it (in thousands), up to FANOUT_BATCH_MAX from 80,000 on.
 * A batch's fixed cost (a run: a request to /api/inngest, a progress write) is then paid
 * per up to 5,000 deliveries rather than per 2,000, while a fan-out still has enough
 * batches to keep several in flight.
 */
export function fanoutBatchSize(audience: number): number {
  const share = Math.ceil(audience / BATCHES_WANTED / 1000) * 1000;
  return Math.min(FANOUT_BATCH_MAX, Math.max(FANOUT_BATCH_SIZE, share));
}

type BatchData = ReturnType<typeof fanoutBatch.create>["data"];
type BatchHead = Omit<BatchData, "batch" | "followerIds" | "followerRange">;

/**
 * Pages through the active followers of `head.authorId` and sends one batch event per page;
 * an audience that fits one batch is delivered here, a run and an event fewer per post.
 *
 * A page of an audience pushed whole (every follower, in id order) is sent as its range of
 * follower ids, which the batch reads along the same index (`followersIn`; the dispatcher
 * only counts them, `followerRanges`): 5,000 ids in an event cost the app far more than
 * reading them again. On its way to the batch each id is checked against the event schema
 * when sent and when received, serialised, parsed by the route guard and by the SDK, and
 * put in canonical JSON twice for the request signature (guard and SDK), besides what the
 * orchestrator does with it: in a CPU profile of the fan-out bench that was about half
 * of the app's CPU per delivery. A range read at batch time is also the fresher list: it
 * leaves out a follower who left since the dispatch, and a newcomer it takes in is a
 * follower all the same.
 */
async function sendBatches(head: BatchHead, followersCount: number): Promise<DispatchResult> {
  let batch = 0;
  let followers = 0;
  let events: Array<ReturnType<typeof fanoutBatch.create>> = [];
  let pending = 0; // followers in `events`
  const sends: Array<Promise<unknown>> = [];
  const kind = head.reposterId ? `repost-${head.op}-${head.reposterId}-${head.t}` : head.op;
  // Held back while it may be the only batch (followers_count is a counter, so only "may").
  let only: string[] | undefined;
  const event = (page: AudiencePage, n: number) => {
    // The same batch re-sent by a retried dispatcher has the same id and is dropped;
    // one whose followers changed meanwhile is new, and overlapping writes are harmless.
    if ("range" in page) {
      const { range } = page;
      return fanoutBatch.create({ ...head, batch: n, followerRange: range }, { id: `fanout-${kind}-${head.postId}-${n}-range-${range.after}-${range.through}` });
    }
    const digest = createHash("sha1").update(page.followerIds.join(",")).digest("hex").slice(0, 12);
    return fanoutBatch.create({ ...head, batch: n, followerIds: page.followerIds }, { id: `fanout-${kind}-${head.postId}-${n}-${digest}` });
  };
  for await (const page of audiencePages(head.authorId, followersCount)) {
    const size = "range" in page ? page.count : page.followerIds.length;
    if (batch === 0 && followersCount <= FANOUT_BATCH_SIZE && "followerIds" in page) only = page.followerIds;
    else {
      if (only) {
        events.push(event({ followerIds: only }, 0));
        pending += only.length;
        only = undefined;
      }
      events.push(event(page, batch));
      pending += size;
    }
    batch += 1;
    followers += size;
    if (pending >= SEND_FOLLOWERS) {
      // The walk goes on while a send is out; at most SENDS_IN_FLIGHT are.
      sends.push(sending(events));
      events = [];
      pending = 0;
      if (sends.length >= SENDS_IN_FLIGHT) await sends.shift();
    }
  }
  if (events.length > 0) sends.push(sending(events));
  await Promise.all(sends);
  // A retried dispatcher delivers it again: a no-op, and its progress counts once.
  if (only) await deliverBatch({ ...head, batch: 0, followerIds: only });
  if (head.op === "add") await recordFanoutProgress({ postId: progressId(head), createdAtMs: head.t, batch: "total", value: batch });
  return { route: "followers", batches: batch, followers };
}

/** A fan-out's name in the progress figures: the post, or the post and its reposter. */
const progressId = ({ postId, reposterId }: { postId: string; reposterId?: string }) => (reposterId ? `${postId}:${reposterId}` : postId);

/** A send whose failure is reported when it is awaited, not as an unhandled rejection meanwhile. */
function sending(events: Array<ReturnType<typeof fanoutBatch.create>>): Promise<unknown> {
  const sent = inngest.send(events);
  sent.catch(() => {});
  return sent;
}

/** The batch function's work: one Redis script for the whole batch. */
export async function deliverBatch(data: BatchData): Promise<number> {
  const { op, postId, reposterId, t, batch } = data;
  const batchIds = data.followerIds ?? (await followersIn(data.authorId, data.followerRange!));
  if (op === "remove") {
    await removeFromLists(batchIds.map(timelineRef), [postId]);
    return 0;
  }
  if (op === "reconcile") {
    // Only where the undone repost was the post's position can it move.
    const positions = await positionInLists(batchIds.map(timelineRef), postId);
    await reconcilePlacements(batchIds.filter((_, i) => positions[i] === t).map((userId) => ({ userId, postId })));
    return 0;
  }
  const followerIds = data.filter ? await takers(data, batchIds) : batchIds;
  // Deleted since it was dispatched: its removal may have run already, so do not write it back.
  const post = await checkPost(postId);
  let written = post && !post.deleted ? await pushToLists(followerIds.map(timelineRef), [{ id: postId, t }]) : 0;
  if (reposterId && written > 0 && (await repostTime(reposterId, postId)) !== t) {
    // Undone while this batch ran: the undo's own reconcile may have come and gone.
    await reconcilePlacements(followerIds.map((userId) => ({ userId, postId })));
    written = 0;
  }
  await recordFanoutProgress({ postId: progressId(data), createdAtMs: t, batch, value: written });
  return written;
}

/** The followers in a batch for whom the post (or the repost) is a reason to be in their feed. */
async function takers({ postId, authorId, reposterId, t }: BatchData, followerIds: string[]): Promise<string[]> {
  const sql = getSql();
  const follower = sql`x.f`;
  const rows = reposterId
    ? await sql<Array<{ f: string }>>`
        select x.f::text as f from unnest(${followerIds}::int8[]) as x(f) join posts p on p.id = ${postId}
        cross join lateral (select ${hiddenIds(sql, follower)} as ids) hidden
        where exists (select 1 from follows fo where fo.follower_id = x.f and fo.followee_id = ${reposterId} and fo.show_reposts)
          and ${reposterId}::int8 <> all(hidden.ids) and (p.author_id = x.f or p.author_id <> all(hidden.ids))
          and exists (select 1 from reposts r where r.user_id = ${reposterId} and r.post_id = p.id and r.created_at = ${atMs(sql, t)})`
    : await sql<Array<{ f: string }>>`
        select x.f::text as f from unnest(${followerIds}::int8[]) as x(f) join posts p on p.id = ${postId}
        where not exists (select 1 from mutes m where m.muter_id = x.f and m.muted_id = ${authorId})
          and ${publicationShown(sql, follower, sql`true`)}`;
  return rows.map((r) => r.f);
}

function write(op: FanoutOp, refs: ListRef[], entry: TimelineEntry) {
  return op === "add" ? pushToLists(refs, [entry]) : removeFromLists(refs, [entry.id]);
}

// $1 window ms, $2 author, $3/$4 the last row of the previous page (null: first page), $5 size.
const LARGE_AUDIENCE_PAGE = `
  select u.id::text as id, u.last_active_at::text as at from users u
  where u.last_active_at > now() - $1::int8 * interval '1 millisecond'
    and ($3::timestamptz is null or (u.last_active_at, u.id) < ($3::timestamptz, $4::int8))
    and exists (select 1 from follows f where f.follower_id = u.id and f.followee_id = $2::int8)
  order by u.last_active_at desc nulls last, u.id desc nulls last
  limit $5`;

/**
 * Whom a fan-out pushes to, in pages: the author's active followers (`activeFollowers`),
 * except for a large audience that is mostly active, which is pushed to whole: every
 * follower, in follower order, along follows_followee_idx alone (an index-only range).
 * There the order buys little (the whole fan-out takes seconds) and its walk is the
 * fan-out's bottleneck. On the large bench world, a page of 10,000 costs 300–445 ms walked
 * in activity order (30–44 µs a follower: a users heap fetch and a follows_pkey probe per
 * user, in random order; 44 s of a 45 s fan-out to 1M active followers), 45–220 ms along
 * follows joined with users, and 2–6 ms along follows alone; a 100k audience read in one
 * query and sorted costs ~0.5 s before its first batch can go. The followers without a
 * timeline cost one ZRANGE probe each in the push; below DENSE_SHARE active, the walk in
 * activity order is kept, so a sparse audience's most recent readers still get the post first.
 * The pages as follower ids, ranges read as their batches read them: what the batches end up
 * with (the dispatcher itself sends `audiencePages`, ranges unread).
 */
export async function* fanoutAudience(authorId: string, followersCount: number): AsyncGenerator<string[]> {
  for await (const page of audiencePages(authorId, followersCount)) yield "range" in page ? await followersIn(authorId, page.range) : page.followerIds;
}

/**
 * A page of a fan-out's audience: its followers, or for an audience pushed whole the range
 * of follower ids it spans, (after, through], and how many followers it held when counted.
 */
type AudiencePage = { followerIds: string[] } | { range: { after: string; through: string }; count: number };

/** fanoutAudience's pages, as ranges when the audience is pushed whole. */
async function* audiencePages(authorId: string, followersCount: number): AsyncGenerator<AudiencePage> {
  if (followersCount > DENSE_AUDIENCE && (await activeShare(authorId)) >= DENSE_SHARE) yield* followerRanges(authorId, fanoutBatchSize(followersCount));
  else for await (const followerIds of activeFollowers(authorId, followersCount)) yield { followerIds };
}

/**
 * The author's followers with ids in (after, through]: a batch's range, along
 * follows_followee_idx. As one comma-separated text, not a row per follower: postgres.js
 * spends ~1 µs of CPU on each row, ~0.2 µs per id of the text (5,000 ids, measured), and
 * those rows were the app's largest cost left per delivery (CPU profile of the fan-out bench).
 */
async function followersIn(authorId: string, { after, through }: { after: string; through: string }): Promise<string[]> {
  const [row] = await getSql()<Array<{ ids: string | null }>>`
    select string_agg(f.follower_id::text, ',' order by f.follower_id) as ids from follows f
    where f.followee_id = ${authorId} and f.follower_id > ${after}::int8 and f.follower_id <= ${through}::int8`;
  return row?.ids ? row.ids.split(",") : [];
}

/**
 * The active share of an author's followers, from a sample: 64 followers from each of 16
 * points spread over the user id space (ids follow sign-up order, and activity with it,
 * so one run of ids would be a biased sample). ~10 ms for a 1M audience.
 */
async function activeShare(authorId: string): Promise<number> {
  const sql = getSql();
  const [row] = await sql<Array<{ seen: number; active: number }>>`
    select count(*)::int as seen,
           count(*) filter (where u.last_active_at > now() - ${ACTIVE_WINDOW_MS}::int8 * interval '1 millisecond')::int as active
    from generate_series(0, 15) as g(i)
    cross join lateral (
      select f.follower_id from follows f
      where f.followee_id = ${authorId} and f.follower_id >= (select max(id) from users) * g.i / 16
      order by f.follower_id limit 64) s
    join users u on u.id = s.follower_id`;
  return row && row.seen > 0 ? row.active / row.seen : 0;
}

/**
 * All of an author's followers, in follower id order, as ranges of `size` followers (the
 * next one counted ahead). Postgres walks the index and answers one row per range: the
 * batches read the ids themselves.
 */
async function* followerRanges(authorId: string, size: number): AsyncGenerator<AudiencePage> {
  const sql = getSql();
  const page = (after: string) => {
    const rows = sql<Array<{ n: number; through: string | null }>>`
      select count(*)::int as n, max(s.id)::text as through from (
        select f.follower_id as id from follows f
        where f.followee_id = ${authorId} and f.follower_id > ${after}::int8
        order by f.follower_id limit ${size}) s`.execute();
    rows.catch(() => {}); // a page read ahead and then abandoned must not fail the process
    return rows;
  };
  let after = "0";
  let next = page(after);
  for (;;) {
    const [row] = await next;
    if (!row?.through || row.n === 0) return;
    if (row.n === size) next = page(row.through);
    yield { range: { after, through: row.through }, count: row.n };
    if (row.n < size) return;
    after = row.through;
  }
}

/**
 * The author's recently active followers, most recently active first, in pages. A small
 * audience is read and ordered in one query; a large one is walked by keyset along
 * users_last_active_idx, probing follows' primary key per user, so each page costs a
 * page's worth of index reads, never a sort of the whole audience. The keyset is one row
 * comparison in the index's own order (both columns descending), so it is an index range
 * even when thousands of users share a last_active_at; an `a < x or (a = x and id > y)`
 * form is not one, and rescans the ties on every page.
 */
export async function* activeFollowers(authorId: string, followersCount: number, pageSize?: number): AsyncGenerator<string[]> {
  const sql = getSql();
  if (followersCount <= SMALL_AUDIENCE) {
    const since = sql`now() - ${ACTIVE_WINDOW_MS}::int8 * interval '1 millisecond'`;
    const rows = await sql<Array<{ id: string }>>`
      select u.id::text as id from follows f join users u on u.id = f.follower_id
      where f.followee_id = ${authorId} and u.last_active_at > ${since}
      order by u.last_active_at desc, u.id desc`;
    const size = pageSize ?? fanoutBatchSize(rows.length);
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size).map((r) => r.id);
    return;
  }
  const size = pageSize ?? fanoutBatchSize(followersCount);
  // Not a prepared statement: after five runs Postgres would switch to a generic plan,
  // which cannot see that this author has a large audience and walks all of their
  // followers, then sorts, for every page (210 ms a page for 100k followers).
  const page = (after: { at: string; id: string } | null): Promise<Array<{ id: string; at: string }>> => {
    const rows = sql.unsafe<Array<{ id: string; at: string }>>(LARGE_AUDIENCE_PAGE, [ACTIVE_WINDOW_MS, authorId, after?.at ?? null, after?.id ?? null, size], { prepare: false });
    rows.catch(() => {}); // a page read ahead and then abandoned must not fail the process
    return rows;
  };
  let next = page(null);
  for (;;) {
    const rows = await next;
    const last = rows.at(-1);
    // The next page is read while the caller sends this one.
    if (rows.length === size && last) next = page({ at: last.at, id: last.id });
    if (rows.length > 0) yield rows.map((r) => r.id);
    if (rows.length < size) return;
  }
}
