import "server-only";
// What Postgres (the source of truth) says belongs in a feed. The Redis lists are caches
// of these queries: a rebuild loads them, a read past a list's cached tail continues in
// them with the same cursor, and a reader who cannot wait for a rebuild is served by them.
//
// The feed's rules, once (the API contract's "feed semantics"). A post is in reader U's
// feed for a *reason*, and at the position of its most recent one:
// - its publication, when U wrote it, or U follows its author and it is not a reply to
//   someone else U does not follow (a reply is shown when U also follows whom it answers,
//   or it answers U, or it answers its own author: a thread);
// - a repost by someone U follows with showReposts on, at the repost's time.
// Never when U muted or blocked its author or the reposter, or they blocked U; never a
// deleted post. A post has one position; equal times go to the repost.
//
// In the hybrid model the home timeline caches the *pushed* reasons (everything but
// superstars' posts and reposts, which are pulled from their own lists at read time).
//
// Every query but the pure pull model's walks an index once per author (posts by author,
// reposts by user) with a LIMIT (a LATERAL join), so its cost is bounded by authors ×
// limit, not by how much those authors wrote.
import type { PendingQuery, Row as PgRow } from "postgres";
import { caughtUpReadSql, getReadSql, getSql } from "@/db";
import type { Position } from "@/lib/cursor";
import { atMs, olderThan } from "@/lib/keyset-sql";
import { pullsSuperstars } from "./model";
import type { ListRef, TimelineEntry } from "./timeline-store";

type Sql = ReturnType<typeof getSql>;
type Fragment = PendingQuery<PgRow[]>;

interface Row {
  id: string;
  t: string;
}

const toEntries = (rows: readonly Row[]): TimelineEntry[] => rows.map((r) => ({ id: r.id, t: Number(r.t) }));
const ms = (sql: Sql, column: Fragment) => sql`(extract(epoch from ${column}) * 1000)::int8::text`;

/**
 * SQL: the ids `reader` must not see in their feed: those they muted or blocked, and
 * those who blocked them. An array, computed once per statement.
 */
export function hiddenIds(sql: Sql, reader: string | Fragment) {
  return sql`array(select muted_id from mutes where muter_id = ${reader}
    union all select blocked_id from blocks where blocker_id = ${reader}
    union all select blocker_id from blocks where blocked_id = ${reader})`;
}

/**
 * SQL: whether the publication of post `p` is a reason for `reader` to see it, the reader
 * following its author given (`followsAuthor`). The reply rule: a top-level post, or a reply
 * to the reader, to its own author, or to someone the reader follows.
 */
export function publicationShown(sql: Sql, reader: string | Fragment, followsAuthor: Fragment) {
  return sql`(p.author_id = ${reader} or (${followsAuthor} and (p.reply_to_user_id is null or p.reply_to_user_id = ${reader}
    or p.reply_to_user_id = p.author_id
    or exists (select 1 from follows rf where rf.follower_id = ${reader} and rf.followee_id = p.reply_to_user_id))))`;
}

interface FeedQuery {
  userId: string;
  after?: Position;
  limit: number;
  /** Which pool answers (db/index.ts): the primary unless loadList chose the read pool. */
  sql?: Sql;
}

/**
 * A home timeline's cached part: the pushed reasons (the reader's own posts, and the
 * posts and reposts of the accounts they follow, without superstars' when those are
 * pulled at read time), each post at its most recent one, newest first.
 */
export function loadTimeline({ userId, after, limit, sql }: FeedQuery): Promise<TimelineEntry[]> {
  return reasonsFeed({ userId, after, limit, sql, superstars: !pullsSuperstars() });
}

/**
 * A whole home feed, superstars included, by the same bounded walk: what a reader is
 * served while Redis is unavailable. The same posts as pullFeed, in the same order.
 */
export function loadFeed({ userId, after, limit }: FeedQuery): Promise<TimelineEntry[]> {
  return reasonsFeed({ userId, after, limit, superstars: true });
}

async function reasonsFeed({ userId, after, limit, superstars, sql = getSql() }: FeedQuery & { superstars: boolean }): Promise<TimelineEntry[]> {
  const onlyPushed = superstars ? sql`` : sql`and not fu.is_superstar`;
  // A post with a reason at or above the cursor is above this page (only a repost can be
  // newer than the publication): left out inside each source, before its LIMIT, so that
  // each source's newest `limit` are all posts of this page or below.
  const belowCursor = (postId: Fragment) =>
    after
      ? sql`and not exists (select 1 from reposts ra join fl on fl.id = ra.user_id and fl.show_reposts
          where ra.post_id = ${postId} and (ra.created_at, ra.post_id) >= (${atMs(sql, after.t)}, ${after.id}::int8))`
      : sql``;
  // The sources: the reader's and each (not hidden) followee's posts, newest `limit`
  // below the cursor each; the reposts of each followee with showReposts on, likewise.
  // A post's position is its newest reason.
  const rows = await sql<Row[]>`
    with fl as (
      select f.followee_id as id, f.show_reposts from follows f join users fu on fu.id = f.followee_id
      where f.follower_id = ${userId} ${onlyPushed} and f.followee_id <> all(${hiddenIds(sql, userId)})
    ),
    reasons as (
      select p.id, p.created_at as at
      from (select ${userId}::int8 as id union all select id from fl) a
      cross join lateral (
        select p.id, p.created_at from posts p
        where p.author_id = a.id and p.deleted_at is null ${olderThan(sql, after)}
          and ${publicationShown(sql, userId, sql`true`)} ${belowCursor(sql`p.id`)}
        order by p.created_at desc, p.id desc
        limit ${limit}
      ) p
      union all
      select r.post_id, r.created_at
      from (select id from fl where show_reposts) a
      cross join lateral (
        select r.post_id, r.created_at from reposts r join posts p on p.id = r.post_id
        where r.user_id = a.id and p.deleted_at is null ${olderThan(sql, after, sql`r.created_at, r.post_id`)}
          and (p.author_id = ${userId} or p.author_id <> all(${hiddenIds(sql, userId)})) ${belowCursor(sql`r.post_id`)}
        order by r.created_at desc, r.post_id desc
        limit ${limit}
      ) r
    )
    select id::text as id, ${ms(sql, sql`max(at)`)} as t from reasons x
    group by id
    order by max(at) desc, x.id desc
    limit ${limit}`;
  return toEntries(rows);
}

/**
 * The pure pull model (FEED_MODEL=pull), as it is usually written: every reason of every
 * post by the reader or a followee, or reposted by a followee, grouped by post, newest
 * first. Postgres cannot walk that in order across authors, so it reads every matching
 * post and repost and sorts them: the cost grows with all that the followees ever did.
 * reasonsFeed above is the bounded alternative.
 */
export async function pullFeed({ userId, after, limit }: FeedQuery): Promise<TimelineEntry[]> {
  const sql = getSql();
  const rows = await sql<Row[]>`${allReasons(sql, userId)}
    select id::text as id, ${ms(sql, sql`max(at)`)} as t from reasons
    group by id
    ${after ? sql`having (max(at), id) < (${atMs(sql, after.t)}, ${after.id}::int8)` : sql``}
    order by max(at) desc, reasons.id desc
    limit ${limit}`;
  return toEntries(rows);
}

/** For the pure pull model's "new posts" count: up to `limit` feed posts newer than `since`. */
export async function pullNewer({ userId, since, limit }: { userId: string; since: Position; limit: number }): Promise<TimelineEntry[]> {
  const sql = getSql();
  const rows = await sql<Row[]>`${allReasons(sql, userId)}
    select id::text as id, ${ms(sql, sql`max(at)`)} as t from reasons
    group by id
    having (max(at), id) > (${atMs(sql, since.t)}, ${since.id}::int8)
    order by max(at), reasons.id
    limit ${limit}`;
  return toEntries(rows);
}

/** `with reasons (id, at)`: every reason of the reader's feed, by the textbook IN queries. */
function allReasons(sql: Sql, userId: string) {
  const followees = sql`(select f.followee_id from follows f where f.follower_id = ${userId})`;
  return sql`
    with hidden as (select ${hiddenIds(sql, userId)} as ids),
    reasons as (
      select p.id, p.created_at as at from posts p, hidden
      where (p.author_id = ${userId} or p.author_id in ${followees}) and p.deleted_at is null
        and (p.author_id = ${userId} or p.author_id <> all(hidden.ids))
        and ${publicationShown(sql, userId, sql`true`)}
      union all
      select r.post_id, r.created_at from reposts r join posts p on p.id = r.post_id, hidden
      where r.user_id in (select f.followee_id from follows f where f.follower_id = ${userId} and f.show_reposts)
        and p.deleted_at is null and r.user_id <> all(hidden.ids)
        and (p.author_id = ${userId} or p.author_id <> all(hidden.ids))
    )`;
}

/** One author's live posts, newest first: a superstar's outbox. */
export async function loadOutbox({ authorId, after, limit, sql = getSql() }: { authorId: string; after?: Position; limit: number; sql?: Sql }): Promise<TimelineEntry[]> {
  const rows = await sql<Row[]>`
    select p.id::text as id, ${ms(sql, sql`p.created_at`)} as t
    from posts p
    where p.author_id = ${authorId} and p.deleted_at is null ${olderThan(sql, after)}
    order by p.created_at desc, p.id desc
    limit ${limit}`;
  return toEntries(rows);
}

/** One user's reposts of live posts, newest first: a superstar's reposts list. */
export async function loadReposts({ userId, after, limit, sql = getSql() }: { userId: string; after?: Position; limit: number; sql?: Sql }): Promise<TimelineEntry[]> {
  const rows = await sql<Row[]>`
    select r.post_id::text as id, ${ms(sql, sql`r.created_at`)} as t
    from reposts r join posts p on p.id = r.post_id
    where r.user_id = ${userId} and p.deleted_at is null ${olderThan(sql, after, sql`r.created_at, r.post_id`)}
    order by r.created_at desc, r.post_id desc
    limit ${limit}`;
  return toEntries(rows);
}

/**
 * What Postgres says a cached list holds, `limit` entries below `after`, from the read pool
 * (db/index.ts). Below a position (a continuation past a cached tail) any replica will do:
 * what is older than a cached horizon was written long ago. From the top (a rebuild, or a
 * reader who cannot wait for one) it must hold every post whose fan-out has already run,
 * the reader's own among them: the read pool only if it has caught up, else the primary.
 */
export async function loadList(ref: ListRef, after: Position | undefined, limit: number): Promise<TimelineEntry[]> {
  const sql = after ? getReadSql() : await caughtUpReadSql();
  if (ref.kind === "tl") return loadTimeline({ userId: ref.ownerId, after, limit, sql });
  if (ref.kind === "rp") return loadReposts({ userId: ref.ownerId, after, limit, sql });
  if (ref.kind === "ob") return loadOutbox({ authorId: ref.ownerId, after, limit, sql });
  throw new Error(`no feed query loads a ${ref.kind} list`);
}

export interface PulledAccount {
  id: string;
  /** Whether the reader takes this account's reposts (the follow's showReposts). */
  showReposts: boolean;
}

export interface ReaderView {
  /** The superstars the reader follows and has not muted: their lists are pulled at read time (none unless the model pulls). */
  pulled: PulledAccount[];
  /** The accounts the reader must not see: muted or blocked by them, or blocking them. */
  hidden: string[];
}

/**
 * What a read needs to know about its reader, in one statement: whom it pulls and whom it
 * hides. users_superstar_idx makes the first a walk over the (few) superstars, each a
 * follows primary-key probe; the second is three index lookups.
 */
export async function readerView(userId: string, { pullSuperstars }: { pullSuperstars: boolean }): Promise<ReaderView> {
  const sql = getSql();
  const [row] = await sql<[{ hidden: string[]; pulled: string[] }]>`
    select ${hiddenIds(sql, userId)}::text[] as hidden,
      ${
        pullSuperstars
          ? sql`array(select u.id::text || ':' || f.show_reposts::int from users u join follows f on f.follower_id = ${userId} and f.followee_id = u.id
              where u.is_superstar and not exists (select 1 from mutes m where m.muter_id = ${userId} and m.muted_id = u.id))`
          : sql`'{}'::text[]`
      } as pulled`;
  return {
    hidden: [...new Set(row.hidden)],
    pulled: row.pulled.map((p) => {
      const [id, show] = p.split(":");
      return { id: id!, showReposts: show === "1" };
    }),
  };
}
