import "server-only";
// Fan-out on write, the push half of the hybrid model.
//
// The dispatcher (one run per post) pages through the author's recently active followers,
// most recently active first, and sends one batch event per FANOUT_BATCH_SIZE of them;
// the batch function writes the post into those followers' timelines in one Redis script.
// Only timelines that exist are written ("online push"): a follower without one gets the
// post when their timeline is rebuilt ("offline pull"). Superstars are not pushed at all:
// their posts go to their outbox, which readers pull. Everything is idempotent: batch
// event ids are derived from their content, and re-writing a post is a no-op.
import { createHash } from "node:crypto";
import { getSql } from "@/db";
import { inngest } from "@/lib/events/client";
import { FANOUT_BATCH_SIZE, fanoutBatch } from "@/lib/events/schemas";
import { keepsTimelines, pullsSuperstars } from "./model";
import { recordFanoutProgress } from "./stats";
import { outboxRef, pushToLists, removeFromLists, timelineRef, TIMELINE_TTL_SECONDS, type ListRef, type TimelineEntry } from "./timeline-store";

/** Events per send request: small, so the first batches start while the dispatcher still pages. */
const SEND_CHUNK = 10;
const SENDS_IN_FLIGHT = 2;
/**
 * Up to this many followers, the active ones are read and ordered in one query: the
 * author's followers along follows_followee_idx, each checked in users (~2 µs each), then
 * sorted. Above it, the walk along users_last_active_idx, whose cost grows with the active
 * users it passes rather than with the audience: 2.0 s for a 100k audience among a million
 * users, where one query takes a fraction of that (bench, large world).
 */
const SMALL_AUDIENCE = 200_000;
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
  authorIsSuperstar: boolean;
  followersCount: number;
}

async function loadPost(postId: string): Promise<PostFacts | undefined> {
  const [row] = await getSql()<Array<{ author_id: string; t: string; deleted: boolean; is_superstar: boolean; followers_count: number }>>`
    select p.author_id::text, (extract(epoch from p.created_at) * 1000)::int8::text as t, p.deleted_at is not null as deleted,
           u.is_superstar, u.followers_count
    from posts p join users u on u.id = p.author_id where p.id = ${postId}`;
  return row && { authorId: row.author_id, t: Number(row.t), deleted: row.deleted, authorIsSuperstar: row.is_superstar, followersCount: row.followers_count };
}

export interface DispatchResult {
  /** What happened to the post: pushed to followers, written to a superstar's outbox, or nothing. */
  route: "followers" | "outbox" | "skipped";
  batches: number;
  followers: number;
}

/** The dispatcher: `add` for a new post, `remove` for a deleted one. */
export async function dispatchFanout({ op, postId }: { op: FanoutOp; postId: string }): Promise<DispatchResult> {
  if (!keepsTimelines()) return { route: "skipped", batches: 0, followers: 0 };
  const post = await loadPost(postId);
  if (!post || (op === "add" && post.deleted)) return { route: "skipped", batches: 0, followers: 0 };
  const pulled = post.authorIsSuperstar && pullsSuperstars();
  const entry: TimelineEntry = { id: postId, t: post.t };
  // The author's own timeline: createPost wrote it already; this covers a failed write.
  await write(op, [timelineRef(post.authorId)], entry);

  if (pulled || op === "remove") await write(op, [outboxRef(post.authorId)], entry);
  if (pulled) return { route: "outbox", batches: 0, followers: 0 };

  let batch = 0;
  let followers = 0;
  let events: Array<ReturnType<typeof fanoutBatch.create>> = [];
  const sends: Array<Promise<unknown>> = [];
  for await (const followerIds of activeFollowers(post.authorId, post.followersCount)) {
    const digest = createHash("sha1").update(followerIds.join(",")).digest("hex").slice(0, 12);
    // The same batch re-sent by a retried dispatcher has the same id and is dropped;
    // one whose followers changed meanwhile is new, and overlapping writes are harmless.
    events.push(fanoutBatch.create({ op, postId, authorId: post.authorId, t: post.t, batch, followerIds }, { id: `fanout-${op}-${postId}-${batch}-${digest}` }));
    batch += 1;
    followers += followerIds.length;
    if (events.length === SEND_CHUNK) {
      // The walk goes on while a send is out; at most SENDS_IN_FLIGHT are.
      sends.push(sending(events));
      events = [];
      if (sends.length >= SENDS_IN_FLIGHT) await sends.shift();
    }
  }
  if (events.length > 0) sends.push(sending(events));
  await Promise.all(sends);
  if (op === "add") await recordFanoutProgress({ postId, createdAtMs: post.t, batch: "total", value: batch });
  return { route: "followers", batches: batch, followers };
}

/** A send whose failure is reported when it is awaited, not as an unhandled rejection meanwhile. */
function sending(events: Array<ReturnType<typeof fanoutBatch.create>>): Promise<unknown> {
  const sent = inngest.send(events);
  sent.catch(() => {});
  return sent;
}

/** The batch function's work: one Redis script for the whole batch. */
export async function deliverBatch({ op, postId, t, batch, followerIds }: { op: FanoutOp; postId: string; t: number; batch: number; followerIds: string[] }): Promise<number> {
  const refs = followerIds.map(timelineRef);
  if (op === "remove") {
    await removeFromLists(refs, [postId]);
    return 0;
  }
  // Deleted since it was dispatched: its removal may have run already, so do not write it back.
  const post = await loadPost(postId);
  const written = post && !post.deleted ? await pushToLists(refs, [{ id: postId, t }]) : 0;
  await recordFanoutProgress({ postId, createdAtMs: t, batch, value: written });
  return written;
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
 * The author's recently active followers, most recently active first, in pages. A small
 * audience is read and ordered in one query; a large one is walked by keyset along
 * users_last_active_idx, probing follows' primary key per user, so each page costs a
 * page's worth of index reads, never a sort of the whole audience. The keyset is one row
 * comparison in the index's own order (both columns descending), so it is an index range
 * even when thousands of users share a last_active_at; an `a < x or (a = x and id > y)`
 * form is not one, and rescans the ties on every page.
 */
export async function* activeFollowers(authorId: string, followersCount: number, size = FANOUT_BATCH_SIZE): AsyncGenerator<string[]> {
  const sql = getSql();
  if (followersCount <= SMALL_AUDIENCE) {
    const since = sql`now() - ${ACTIVE_WINDOW_MS}::int8 * interval '1 millisecond'`;
    const rows = await sql<Array<{ id: string }>>`
      select u.id::text as id from follows f join users u on u.id = f.follower_id
      where f.followee_id = ${authorId} and u.last_active_at > ${since}
      order by u.last_active_at desc, u.id desc`;
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size).map((r) => r.id);
    return;
  }
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
