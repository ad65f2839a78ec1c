import "server-only";
// What Postgres (the source of truth) says belongs in a feed. The Redis lists are caches
// of these queries: a rebuild loads them, a read past a list's cached tail continues in
// them with the same cursor, and a reader who cannot wait for a rebuild is served by them.
//
// Every query but the pure pull model's walks posts_author_created_idx once per author
// with a LIMIT (a LATERAL join), so its cost is bounded by authors × limit, not by how
// much those authors wrote.
import { getSql } from "@/db";
import type { Position } from "@/lib/cursor";
import { pullsSuperstars } from "./model";
import type { TimelineEntry } from "./timeline-store";

interface Row {
  id: string;
  t: string;
}

const toEntries = (rows: readonly Row[]): TimelineEntry[] => rows.map((r) => ({ id: r.id, t: Number(r.t) }));

/** The `(created_at, id) < position` test, as an index range condition. */
function olderThan(sql: ReturnType<typeof getSql>, after: Position | undefined) {
  return after
    ? sql`and (p.created_at, p.id) < (timestamptz 'epoch' + ${String(after.t)}::int8 * interval '1 millisecond', ${after.id}::int8)`
    : sql``;
}

/**
 * A home timeline's cached part: the user's own posts and those of the accounts they
 * follow, newest first; without superstars when their posts are pulled at read time.
 */
export function loadTimeline({ userId, after, limit }: { userId: string; after?: Position; limit: number }): Promise<TimelineEntry[]> {
  return authorsFeed({ userId, after, limit, superstars: !pullsSuperstars() });
}

/**
 * A whole home feed, superstars included, by the same bounded walk: what a reader is
 * served while Redis is unavailable. The same posts as pullFeed, in the same order.
 */
export function loadFeed({ userId, after, limit }: { userId: string; after?: Position; limit: number }): Promise<TimelineEntry[]> {
  return authorsFeed({ userId, after, limit, superstars: true });
}

/**
 * The pure pull model (FEED_MODEL=pull), as it is usually written: posts whose author is
 * the reader or one of their followees, newest first. Postgres cannot walk that in order
 * across authors, so it reads every matching post and sorts them: the cost grows with all
 * that the followees ever wrote. loadTimeline's walk (below) is the bounded alternative.
 */
export async function pullFeed({ userId, after, limit }: { userId: string; after?: Position; limit: number }): Promise<TimelineEntry[]> {
  const sql = getSql();
  const rows = await sql<Row[]>`
    select p.id::text as id, (extract(epoch from p.created_at) * 1000)::int8::text as t
    from posts p
    where (p.author_id = ${userId} or p.author_id in (select f.followee_id from follows f where f.follower_id = ${userId}))
      and p.deleted_at is null ${olderThan(sql, after)}
    order by p.created_at desc, p.id desc
    limit ${limit}`;
  return toEntries(rows);
}

/** For the pure pull model's "new posts" count: up to `limit` feed posts newer than `since`. */
export async function pullNewer({ userId, since, limit }: { userId: string; since: Position; limit: number }): Promise<TimelineEntry[]> {
  const sql = getSql();
  const rows = await sql<Row[]>`
    select p.id::text as id, (extract(epoch from p.created_at) * 1000)::int8::text as t
    from posts p
    where (p.author_id = ${userId} or p.author_id in (select f.followee_id from follows f where f.follower_id = ${userId}))
      and p.deleted_at is null
      and (p.created_at, p.id) > (timestamptz 'epoch' + ${String(since.t)}::int8 * interval '1 millisecond', ${since.id}::int8)
    order by p.created_at, p.id
    limit ${limit}`;
  return toEntries(rows);
}

async function authorsFeed({ userId, after, limit, superstars }: { userId: string; after?: Position; limit: number; superstars: boolean }): Promise<TimelineEntry[]> {
  const sql = getSql();
  const rows = await sql<Row[]>`
    select p.id::text as id, (extract(epoch from p.created_at) * 1000)::int8::text as t
    from (
      select ${userId}::int8 as author_id
      union all
      select f.followee_id from follows f join users u on u.id = f.followee_id
      where f.follower_id = ${userId} ${superstars ? sql`` : sql`and not u.is_superstar`}
    ) a
    cross join lateral (
      select p.id, p.created_at from posts p
      where p.author_id = a.author_id and p.deleted_at is null ${olderThan(sql, after)}
      order by p.created_at desc, p.id desc
      limit ${limit}
    ) p
    order by p.created_at desc, p.id desc
    limit ${limit}`;
  return toEntries(rows);
}

/** One author's live posts, newest first: a superstar's outbox. */
export async function loadOutbox({ authorId, after, limit }: { authorId: string; after?: Position; limit: number }): Promise<TimelineEntry[]> {
  const sql = getSql();
  const rows = await sql<Row[]>`
    select p.id::text as id, (extract(epoch from p.created_at) * 1000)::int8::text as t
    from posts p
    where p.author_id = ${authorId} and p.deleted_at is null ${olderThan(sql, after)}
    order by p.created_at desc, p.id desc
    limit ${limit}`;
  return toEntries(rows);
}

/** The superstars a user follows: their posts are pulled into the user's feed at read time. */
export async function followedSuperstars(userId: string): Promise<string[]> {
  // users_superstar_idx makes this a walk over the (few) superstars, each a follows PK probe.
  const rows = await getSql()<Array<{ id: string }>>`
    select u.id::text as id from users u
    where u.is_superstar and exists (select 1 from follows f where f.follower_id = ${userId} and f.followee_id = u.id)`;
  return rows.map((r) => r.id);
}
