// Builds a world's rows, entirely server-side: each step is INSERT … SELECT over
// generate_series with deterministic pseudo-random expressions, cut into chunks of about
// 200k rows so the progress bar is real and two chunks can run at once. Ids are assigned
// here (ordinary users are 1..R, popularity rank = id), so follows and posts are written
// before the users they point at (the caller has set the foreign keys aside) and users are
// written last with their counters already computed from the rows.
import type postgres from "postgres";
import type { Account, Author, Reader, WorldAccounts, WorldCounts } from "./meta";
import { FOLLOW_LIMIT, countLabel, type WorldParams } from "./presets";
import type { Progress } from "./progress";
import { formatCount } from "./progress";
import { generateLiveSessions, LIVE_VIEWER_FOLLOWS, viewerFollowees, type LiveViewerRole } from "./live";
import { followForRepostsReader, generateReposts, measureRepostsReader, REPOSTS_READER_FOLLOWS, type RepostsContext } from "./reposts";
import { FIRST, LAST, TAGGED_SHARE, TAGS, TEMPLATES, TOPICS } from "./content";
import { SALT, SqlRandom, int8Array, num, paretoInt, paretoScale, textArray, textLiteral, zipfRank } from "./sql-random";

export const EMAIL_DOMAIN = "bench.starling.test";
const ROWS_PER_CHUNK = 200_000;
/** Hash keys pack (id, id) as id * 2^21 + id: ids stay below 2^21. */
const ID_SPACE = 2_097_152;
const POST_CAP = 2000;
const POSTS_ALPHA = 2;
const SUPERSTAR_READER_FOLLOWS = 10;

export interface Layout {
  /** Ordinary users are ids 1..regular; the special accounts follow. */
  regular: number;
  readers: { follows100: Account; follows2000: Account; followsSuperstars: Account; halfReposts: Account };
  authors: Array<Account & { label: string; wanted: number }>;
  /** The Live tab's viewers, after the authors. */
  viewers: Record<LiveViewerRole, Account>;
}

export function worldLayout(params: WorldParams): Layout {
  const viewerRoles = Object.keys(LIVE_VIEWER_FOLLOWS) as LiveViewerRole[];
  const regular = params.users - 4 - params.authorFollowers.length - viewerRoles.length;
  const account = (id: number, username: string): Account => ({ id: String(id), username });
  const firstViewer = regular + 5 + params.authorFollowers.length;
  return {
    regular,
    readers: {
      follows100: account(regular + 1, "reader_100"),
      follows2000: account(regular + 2, "reader_2000"),
      followsSuperstars: account(regular + 3, "reader_superstars"),
      halfReposts: account(regular + 4, "reader_reposts"),
    },
    authors: params.authorFollowers.map((wanted, i) => ({ ...account(regular + 5 + i, `author_${countLabel(wanted)}`), label: countLabel(wanted), wanted })),
    viewers: Object.fromEntries(viewerRoles.map((role, i) => [role, account(firstViewer + i, `viewer_${LIVE_VIEWER_FOLLOWS[role]}`)])) as Record<LiveViewerRole, Account>,
  };
}

export interface GenerateResult {
  accounts: WorldAccounts;
  counts: WorldCounts;
  maxUserId: string;
  maxPostId: string;
}

export async function generateWorld(opts: {
  sql: postgres.Sql;
  params: WorldParams;
  clock: Date;
  password: string;
  passwordHash: string;
  progress: Progress;
  /** Chunks in flight at once (connections). */
  concurrency?: number;
  log?: (line: string) => void;
}): Promise<GenerateResult> {
  const { sql, params, progress } = opts;
  const layout = worldLayout(params);
  const R = layout.regular;
  const concurrency = opts.concurrency ?? 2;
  const rand = new SqlRandom(params.seed);
  const clock = `${textLiteral(opts.clock.toISOString())}::timestamptz`;
  const days = `interval '${params.days} days'`;
  const followTime = (follower: string, followee: string) => `${clock} - ${rand.uniform(`(${follower})::int8 * ${ID_SPACE} + ${followee}`, SALT.followTime)} * ${days}`;

  // 1. Ordinary follows: out-degree Pareto (capped so that following every fan-out author
  // too stays within the follow limit), followees drawn by Zipf over popularity rank,
  // repeats and self-follows dropped. Sorted by the primary key, so its index only appends.
  const maxFollowing = Math.min(FOLLOW_LIMIT - layout.authors.length, R - 1);
  const xmFollows = paretoScale(params.followsPerUser, params.followsAlpha, maxFollowing);
  const followsChunk = Math.max(50, Math.floor(ROWS_PER_CHUNK / params.followsPerUser));
  let rows = 0;
  await progress.step("follows", R, (step) =>
    chunked(1, R, followsChunk, concurrency, async (from, to) => {
      const result = await sql.unsafe(`
        insert into follows (follower_id, followee_id, created_at)
        select p.u, p.v, ${followTime("p.u", "p.v")}
        from (
          select distinct d.u, ${zipfRank(rand.uniform(`d.u * 2048 + j`, SALT.followee), R, params.zipf)} as v
          from (select u, ${paretoInt(rand.uniform("u", SALT.following), xmFollows, params.followsAlpha, maxFollowing)} as deg
                from generate_series(${from}::int8, ${to}::int8) u) d,
               generate_series(0, d.deg - 1) j
        ) p
        where p.u <> p.v
        order by p.u, p.v`);
      step.add(to - from + 1);
      rows += result.count;
      step.note(`${formatCount(rows)} rows`);
    }),
  );

  // 2. Superstars: the most-followed ordinary accounts. The next as many again are left
  // out of the readers' followees, so a reader's follow never lifts one above a superstar.
  const top = await progress.step("rank by followers", 0, () =>
    sql<Array<{ id: string }>>`
      select followee_id::text as id from follows group by followee_id
      order by count(*) desc, followee_id limit ${2 * params.superstars}`,
  );
  const superstarIds = top.slice(0, params.superstars).map((r) => Number(r.id));
  const excluded = new Set(top.map((r) => Number(r.id)));

  // 3. The special accounts' follows (but the reposts reader's: see 5). The live hosts are
  // ordinary accounts spread over the ranks like the readers' followees; each Live-tab
  // viewer follows hosts only.
  const readerFollowees = {
    follows100: spread(100, R, excluded),
    follows2000: spread(FOLLOW_LIMIT, R, excluded),
    followsSuperstars: superstarIds.slice(0, SUPERSTAR_READER_FOLLOWS),
  };
  const hosts = spread(params.liveHosts, R, excluded);
  const viewerFollows = Object.fromEntries(
    (Object.keys(LIVE_VIEWER_FOLLOWS) as LiveViewerRole[]).map((role) => [role, viewerFollowees(hosts, LIVE_VIEWER_FOLLOWS[role])]),
  ) as Record<LiveViewerRole, number[]>;
  const authorAudience = layout.authors.map((a) => Math.min(a.wanted, R));
  const followers = [
    ...Object.entries(readerFollowees).map(([role, ids]) => ({ id: layout.readers[role as keyof Layout["readers"]].id, ids })),
    ...Object.entries(viewerFollows).map(([role, ids]) => ({ id: layout.viewers[role as LiveViewerRole].id, ids })),
  ];
  const specialTotal = followers.reduce((n, f) => n + f.ids.length, 0) + authorAudience.reduce((n, k) => n + k, 0);
  await progress.step("special follows", specialTotal, async (step) => {
    for (const { id: reader, ids } of followers) {
      await sql.unsafe(`
        insert into follows (follower_id, followee_id, created_at)
        select ${reader}, x, ${followTime(reader, "x")} from unnest(${int8Array(ids)}) x order by x`);
      step.add(ids.length);
    }
    // Each fan-out author is followed by `k` ordinary users spread evenly over the ranks.
    for (const [i, author] of layout.authors.entries()) {
      const k = authorAudience[i]!;
      await chunked(0, k - 1, ROWS_PER_CHUNK, concurrency, async (from, to) => {
        await sql.unsafe(`
          insert into follows (follower_id, followee_id, created_at)
          select f, ${author.id}, ${followTime("f", author.id)}
          from (select 1 + floor(i * (${R}::float8 / ${k}))::int8 as f from generate_series(${from}, ${to}) i) s`);
        step.add(to - from + 1);
      });
    }
  });

  // 4. Posts over the last `days`: a Pareto number per user (at least one), more for
  // superstars; TAGGED_SHARE of them end with a hashtag (content.ts).
  const postKey = "a.u * 65536 + k";
  const postsSql = (from: number, to: number, count: string) => `
    insert into posts (author_id, content, created_at)
    select a.u, format(${rand.pick(postKey, SALT.postTemplate, TEMPLATES)}, ${rand.pick(postKey, SALT.postTopic, TOPICS)})
             || case when ${rand.uniform(postKey, SALT.postTagged)} < ${num(TAGGED_SHARE)} then ' #' || (${textArray(TAGS)})[1 + floor(power(${rand.uniform(postKey, SALT.postTag)}, 2) * ${TAGS.length})::int] else '' end,
           ${clock} - ${rand.uniform(postKey, SALT.postTime)} * ${days}
    from (select u, ${count} as n from generate_series(${from}::int8, ${to}::int8) u) a, generate_series(1, a.n) k`;
  const basePosts = paretoInt(rand.uniform("u", SALT.posts), paretoScale(params.postsPerUser, POSTS_ALPHA, POST_CAP), POSTS_ALPHA, POST_CAP);
  const regularPosts = `case when u = any(${int8Array(superstarIds)}) then greatest(${params.superstarPosts}, ${basePosts}) else ${basePosts} end`;
  await progress.step("posts", R + layout.authors.length, async (step) => {
    rows = 0;
    await chunked(1, R, Math.max(50, Math.floor(ROWS_PER_CHUNK / params.postsPerUser)), concurrency, async (from, to) => {
      const result = await sql.unsafe(postsSql(from, to, regularPosts));
      rows += result.count;
      step.add(to - from + 1);
      step.note(`${formatCount(rows)} rows`);
    });
    if (layout.authors.length > 0 && params.authorPosts > 0) {
      const first = Number(layout.authors[0]!.id);
      await sql.unsafe(postsSql(first, first + layout.authors.length - 1, String(params.authorPosts)));
    }
  });

  // 5. Reposts (after the posts they point at), then the reader whose feed is half reposts:
  // whom it follows depends on who reposted what.
  const repostsCtx: RepostsContext = {
    sql,
    params,
    rand,
    clock,
    regular: R,
    progress,
    chunked: (first, last, size, fn) => chunked(first, last, size, concurrency, fn),
  };
  const repostRows = await generateReposts(repostsCtx);
  await progress.step("reposts reader", 0, () => followForRepostsReader(repostsCtx, layout.readers.halfReposts, [...excluded]));

  // 6. Counters from the rows themselves, then the users with them.
  await progress.step("count rows", 0, async () => {
    await sql.unsafe(`drop table if exists bench_world_counts`);
    await sql.unsafe(`
      create unlogged table bench_world_counts as
      select id, sum(followers)::int as followers, sum(following)::int as following, sum(posts)::int as posts from (
        select followee_id as id, count(*) as followers, 0::int8 as following, 0::int8 as posts from follows group by followee_id
        union all select follower_id, 0, count(*), 0 from follows group by follower_id
        union all select author_id, 0, 0, count(*) from posts where deleted_at is null group by author_id) x
      group by id`);
    await sql.unsafe(`alter table bench_world_counts add primary key (id)`);
  });

  const columns = `id, username, email, display_name, bio, password_hash, is_superstar, followers_count, following_count, posts_count, last_active_at, created_at, updated_at`;
  const counters = `coalesce(c.followers, 0), coalesce(c.following, 0), coalesce(c.posts, 0)`;
  const created = (id: string) => `${clock} - ${days} - interval '1 day' - ${rand.uniform(id, SALT.created)} * interval '60 days'`;
  // Active: seen within the last day. Inactive: never, or more than 8 days ago (the fan-out's window).
  const lastActive = `case
    when ${rand.uniform("i", SALT.active)} < ${num(params.activeFraction)} then ${clock} - ${rand.uniform("i", SALT.seen)} * interval '20 hours'
    when ${rand.uniform("i", SALT.inactiveNull)} < 0.5 then null
    else ${clock} - interval '9 days' - ${rand.uniform("i", SALT.seen)} * interval '60 days' end`;
  await progress.step("users", params.users, async (step) => {
    await chunked(1, R, 100_000, concurrency, async (from, to) => {
      await sql.unsafe(
        `insert into users (${columns})
         select i, 'user_' || i, 'user_' || i || '@${EMAIL_DOMAIN}',
                ${rand.pick("i", SALT.firstName, FIRST)} || ' ' || ${rand.pick("i", SALT.lastName, LAST)}, '', $1,
                i = any(${int8Array(superstarIds)}), ${counters}, ${lastActive}, ${created("i")}, ${clock}
         from generate_series(${from}::int8, ${to}::int8) i left join bench_world_counts c on c.id = i
         order by i`,
        [opts.passwordHash],
      );
      step.add(to - from + 1);
    });
    const specials = [...Object.values(layout.readers), ...layout.authors, ...Object.values(layout.viewers)];
    const values = specials.map((a) => `(${a.id}::int8, ${textLiteral(a.username)})`).join(", ");
    await sql.unsafe(
      `insert into users (${columns})
       select s.id, s.username, s.username || '@${EMAIL_DOMAIN}', initcap(replace(s.username, '_', ' ')), 'A benchmark account.', $1,
              false, ${counters}, ${clock}, ${created("s.id")}, ${clock}
       from (values ${values}) s(id, username) left join bench_world_counts c on c.id = s.id`,
      [opts.passwordHash],
    );
    await sql`select setval('users_id_seq', ${params.users})`;
    step.add(specials.length);
  });

  // 7. The live hosts' sessions (live_sessions' foreign key is set aside like the others').
  const live = await progress.step("live sessions", 0, () => generateLiveSessions({ sql, params, rand, clock, hosts }));

  // 8. What the benchmarks need to know, read back from the rows.
  const counts = await sql<Array<{ id: string; followers: number; following: number }>>`
    select id::text, followers, following from bench_world_counts where id = any(${[...superstarIds, ...layout.authors.map((a) => Number(a.id)), ...Object.values(layout.readers).map((a) => Number(a.id)), ...Object.values(layout.viewers).map((a) => Number(a.id))]}::int8[])`;
  const byId = new Map(counts.map((c) => [c.id, c]));
  const [totals] = await sql<[{ follows: string; posts: string; max_following: number; max_followers: number }]>`
    select sum(following)::text as follows, sum(posts)::text as posts, max(following) as max_following, max(followers) as max_followers from bench_world_counts`;
  const [active] = await sql<[{ n: number }]>`select count(*)::int as n from users where last_active_at > ${opts.clock.toISOString()}::timestamptz - interval '1 day'`;
  const [maxPost] = await sql<[{ id: string | null }]>`select max(id)::text as id from posts`;
  const [reposters] = await sql<[{ n: number }]>`select count(distinct user_id)::int as n from reposts`;
  // The readers' follows were kept off the accounts just below the superstars for this.
  const [order] = await sql<[{ weakest: number; strongest: number | null }]>`
    select min(followers) filter (where id = any(${superstarIds}::int8[])) as weakest,
           max(followers) filter (where id <= ${R} and id <> all(${superstarIds}::int8[])) as strongest
    from bench_world_counts`;
  if (order && order.strongest !== null && order.strongest > order.weakest) {
    opts.log?.(`warning: an ordinary account has ${order.strongest} followers, more than the least-followed superstar (${order.weakest})`);
  }
  await sql.unsafe(`drop table bench_world_counts`);

  const reader = (role: keyof Layout["readers"], wanted: number): Reader => ({
    ...layout.readers[role],
    wanted,
    following: byId.get(layout.readers[role].id)?.following ?? 0,
  });
  const accounts: WorldAccounts = {
    password: opts.password,
    emailDomain: EMAIL_DOMAIN,
    readers: {
      follows100: reader("follows100", 100),
      follows2000: reader("follows2000", FOLLOW_LIMIT),
      followsSuperstars: reader("followsSuperstars", SUPERSTAR_READER_FOLLOWS),
      halfReposts: await measureRepostsReader(sql, reader("halfReposts", REPOSTS_READER_FOLLOWS)),
    },
    authors: layout.authors.map((a): Author => ({ id: a.id, username: a.username, label: a.label, wanted: a.wanted, followers: byId.get(a.id)?.followers ?? 0 })),
    viewers: Object.fromEntries(
      (Object.keys(LIVE_VIEWER_FOLLOWS) as LiveViewerRole[]).map((role) => {
        const v = layout.viewers[role];
        return [role, { ...v, wanted: LIVE_VIEWER_FOLLOWS[role], following: byId.get(v.id)?.following ?? 0 }];
      }),
    ) as WorldAccounts["viewers"],
    superstars: superstarIds.map((id) => ({ id: String(id), username: `user_${id}`, followers: byId.get(String(id))?.followers ?? 0 })),
  };
  return {
    accounts,
    counts: {
      users: params.users,
      follows: Number(totals?.follows ?? 0),
      posts: Number(totals?.posts ?? 0),
      reposts: repostRows,
      reposters: reposters?.n ?? 0,
      activeUsers: active?.n ?? 0,
      superstars: superstarIds.length,
      maxFollowing: totals?.max_following ?? 0,
      maxFollowers: totals?.max_followers ?? 0,
      live,
    },
    maxUserId: String(params.users),
    maxPostId: maxPost?.id ?? "0",
  };
}

/** Runs fn over [first, last] in ranges of `size`, `concurrency` at a time, in order of start. */
async function chunked(first: number, last: number, size: number, concurrency: number, fn: (from: number, to: number) => Promise<void>): Promise<void> {
  let next = first;
  const worker = async () => {
    while (next <= last) {
      const from = next;
      const to = Math.min(last, from + size - 1);
      next = to + 1;
      await fn(from, to);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** `k` ids spread evenly over 1..n, skipping `excluded` (fewer if there are not that many). */
export function spread(k: number, n: number, excluded: ReadonlySet<number>): number[] {
  const wanted = Math.min(k, n - [...excluded].filter((id) => id >= 1 && id <= n).length);
  const chosen = new Set<number>();
  for (let i = 0; i < wanted; i++) {
    let id = 1 + Math.floor((i * n) / wanted);
    while (excluded.has(id) || chosen.has(id)) id = (id % n) + 1;
    chosen.add(id);
  }
  return [...chosen].sort((a, b) => a - b);
}
