// The world's reposts, built server-side like the rest: a `repostFraction` of ordinary users
// repost, a Pareto number each, mostly posts of popular accounts (the author drawn by Zipf
// over popularity rank, like a followee; then one of their posts, a few of which draw most
// reposts), each soon after the post (an exponential delay of mean one day). A repost that
// would come after the world's clock has not happened yet and is dropped, so reposts are
// spread over the days like posts are, and each comes after its post. posts.repost_count
// is then set from the rows. And the reader whose feed is about half reposts, whose
// followees are picked from what the reposts turned out to be.
import type postgres from "postgres";
import type { Account, RepostsReader } from "./meta";
import type { WorldParams } from "./presets";
import type { Progress } from "./progress";
import { formatCount } from "./progress";
import { SALT, int8Array, num, paretoInt, paretoScale, zipfRank, type SqlRandom } from "./sql-random";

const REPOSTS_CAP = 500;
const REPOSTS_ALPHA = 2;
/** Mean delay between a post and a repost of it, in seconds. */
const REPOST_DELAY_S = 86_400;
const ROWS_PER_CHUNK = 200_000;
/** The reposts reader's followees, and the window over which their posts and reposts are balanced. */
export const REPOSTS_READER_FOLLOWS = 100;
const BALANCE_DAYS = 7;
const CANDIDATES_PER_KIND = 2000;
/** The reader's first page, as the bench reads it, and the deeper look at its feed. */
const FIRST_PAGE = 20;
const DEEP_PAGE = 200;

export interface RepostsContext {
  sql: postgres.Sql;
  params: WorldParams;
  rand: SqlRandom;
  /** SQL: the world's clock as a timestamptz. */
  clock: string;
  /** Ordinary users are ids 1..regular. */
  regular: number;
  progress: Progress;
  chunked: (first: number, last: number, size: number, fn: (from: number, to: number) => Promise<void>) => Promise<void>;
}

/** Writes the reposts and every post's repost_count. Returns how many rows were written. */
export async function generateReposts(ctx: RepostsContext): Promise<number> {
  const { sql, params, rand, clock, regular: R } = ctx;
  if (params.repostFraction === 0) return 0;
  // Each author's posts in a fixed random order: the first ones are the author's most reposted.
  await sql.unsafe(`drop table if exists bench_world_author_posts`);
  await sql.unsafe(`
    create unlogged table bench_world_author_posts as
    select author_id, array_agg(id order by hashint8extended(id, ${params.seed * 100 + SALT.repostPick}), id) as ids
    from posts where author_id <= ${R} group by author_id`);
  await sql.unsafe(`alter table bench_world_author_posts add primary key (author_id)`);

  const perReposter = paretoInt(rand.uniform("u", SALT.reposts), paretoScale(params.repostsPerReposter, REPOSTS_ALPHA, REPOSTS_CAP), REPOSTS_ALPHA, REPOSTS_CAP);
  const repostKey = "x.u * 2048 + x.j";
  // At least a second after the post; 1 - U is in (0, 1].
  const repostTime = `p.created_at + (1 - ${REPOST_DELAY_S}.0 * ln(1.0 - ${rand.uniform(repostKey, SALT.repostDelay)})) * interval '1 second'`;
  const expected = params.repostFraction * params.repostsPerReposter;
  const chunk = Math.max(50, Math.floor(ROWS_PER_CHUNK / Math.max(0.01, expected)));
  let rows = 0;
  await ctx.progress.step("reposts", R, (step) =>
    ctx.chunked(1, R, chunk, async (from, to) => {
      const result = await sql.unsafe(`
        insert into reposts (user_id, post_id, created_at)
        select distinct on (y.u, y.post_id) y.u, y.post_id, y.t
        from (
          select x.u, x.post_id, ${repostTime} as t
          from (
            select d.u, j, a.ids[1 + floor(power(${rand.uniform("d.u * 2048 + j", SALT.repostPick)}, 2) * cardinality(a.ids))::int] as post_id
            from (select u, ${perReposter} as n from generate_series(${from}::int8, ${to}::int8) u
                  where ${rand.uniform("u", SALT.reposter)} < ${num(params.repostFraction)}) d
            cross join generate_series(0, d.n - 1) j
            join bench_world_author_posts a on a.author_id = ${zipfRank(rand.uniform("d.u * 2048 + j", SALT.repostAuthor), R, params.zipf)}
          ) x join posts p on p.id = x.post_id
          where p.author_id <> x.u
        ) y
        where y.t <= ${clock}
        order by y.u, y.post_id, y.t`);
      rows += result.count;
      step.add(to - from + 1);
      step.note(`${formatCount(rows)} rows`);
    }),
  );
  await sql.unsafe(`drop table bench_world_author_posts`);
  await ctx.progress.step("repost counts", 0, () =>
    sql.unsafe(`
      update posts p set repost_count = c.n
      from (select post_id, count(*)::int as n from reposts group by post_id) c where p.id = c.post_id`),
  );
  return rows;
}

interface Candidate {
  id: string;
  posts: number;
  reposts: number;
}

/**
 * Picks the reposts reader's followees among ordinary users (no superstar, nor the accounts
 * just below them: `excluded`) so that over the last week the reposts among them balance
 * their posts: the next one taken reposts more than it posts while the reposts are behind,
 * and posts more than it reposts while they are ahead; users quiet all week fill up.
 * Writes the follows (before the counters are computed from the rows).
 */
export async function followForRepostsReader(ctx: RepostsContext, reader: Account, excluded: readonly number[]): Promise<number> {
  const { sql, params, clock, regular: R } = ctx;
  const since = `${clock} - interval '${BALANCE_DAYS} days'`;
  const order = (id: string) => `hashint8extended(${id}, ${params.seed * 100 + SALT.repostsReader})`;
  const active = await sql.unsafe<Array<Candidate & { kind: "more" | "less" }>>(`
    select id::text, posts, reposts, kind from (
      select id, posts, reposts, kind, row_number() over (partition by kind order by ${order("id")}) as k from (
        select coalesce(p.id, r.id) as id, coalesce(p.n, 0)::int as posts, coalesce(r.n, 0)::int as reposts,
               case when coalesce(r.n, 0) > coalesce(p.n, 0) then 'more' else 'less' end as kind
        from (select author_id as id, count(*) as n from posts where author_id <= ${R} and created_at > ${since} group by 1) p
        full join (select user_id as id, count(*) as n from reposts where created_at > ${since} group by 1) r on r.id = p.id
      ) c where id <> all(${int8Array([...excluded])})
    ) ranked where k <= ${CANDIDATES_PER_KIND}`);
  const quiet = await sql.unsafe<Array<{ id: string }>>(`
    select u::text as id from generate_series(1, ${R}::int8) u
    where u <> all(${int8Array([...excluded])})
      and not exists (select 1 from posts where author_id = u and created_at > ${since})
      and not exists (select 1 from reposts where user_id = u and created_at > ${since})
    order by ${order("u")} limit ${REPOSTS_READER_FOLLOWS}`);
  const more = active.filter((c) => c.kind === "more");
  const less = active.filter((c) => c.kind === "less");
  const chosen = balance(more, less, quiet.map((q) => ({ id: q.id, posts: 0, reposts: 0 })), REPOSTS_READER_FOLLOWS);
  const ids = chosen.map((c) => Number(c.id)).sort((a, b) => a - b);
  await sql.unsafe(`
    insert into follows (follower_id, followee_id, created_at)
    select ${reader.id}, x, ${clock} - interval '${params.days} days' * ${ctx.rand.uniform(`${reader.id}::int8 * 2097152 + x`, SALT.followTime)}
    from unnest(${int8Array(ids)}) x order by x`);
  return ids.length;
}

/** Takes up to `k`: from `more` while the reposts trail the posts, else from `less`; `quiet` when the wanted kind runs out. */
export function balance(more: readonly Candidate[], less: readonly Candidate[], quiet: readonly Candidate[], k: number): Candidate[] {
  const queues = { more: [...more], less: [...less], quiet: [...quiet] };
  const chosen: Candidate[] = [];
  let posts = 0;
  let reposts = 0;
  while (chosen.length < k) {
    const next = (reposts <= posts ? queues.more.shift() : queues.less.shift()) ?? queues.quiet.shift();
    if (!next) break;
    chosen.push(next);
    posts += next.posts;
    reposts += next.reposts;
  }
  return chosen;
}

/**
 * The reader's feed as the app defines it (each post once, at its newest reason: its
 * publication by someone followed or a repost by someone followed, a repost winning a tie;
 * the world has no replies, mutes or blocks), newest first: how many of the first 20 items
 * are reposts, and the share in the first 200.
 */
export async function measureRepostsReader(sql: postgres.Sql, reader: Account & { wanted: number; following: number }): Promise<RepostsReader> {
  const [row] = await sql<[{ first: number; deep: number; items: number }]>`
    with f as (select followee_id as id from follows where follower_id = ${reader.id}),
    reasons as (
      select p.id, p.created_at as t, false as repost from posts p
      where p.deleted_at is null and (p.author_id in (select id from f) or p.author_id = ${reader.id})
      union all
      select r.post_id, r.created_at, true from reposts r join posts p on p.id = r.post_id
      where p.deleted_at is null and r.user_id in (select id from f)),
    items as (select distinct on (id) id, t, repost from reasons order by id, t desc, repost desc),
    feed as (select repost, row_number() over (order by t desc, id desc) as n from items)
    select (count(*) filter (where repost and n <= ${FIRST_PAGE}))::int as first,
           (count(*) filter (where repost and n <= ${DEEP_PAGE}))::int as deep,
           (count(*) filter (where n <= ${DEEP_PAGE}))::int as items
    from feed`;
  return { ...reader, firstPageReposts: row?.first ?? 0, repostShare: row && row.items > 0 ? Math.round((row.deep / row.items) * 1000) / 1000 : 0 };
}
