// The benchmark world generator, on the tiny preset in a database of its own: the graph
// keeps the app's invariants, has the promised shape and special accounts, leaves the
// schema exactly as the migrations make it, and is reused (or rebuilt when half done).
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWorld, type World } from "@/bench/world/index";
import { schemaFingerprint } from "@/bench/world/schema";
import { migrateDatabase } from "@/db/migrate";

const runId = process.env.TEST_RUN_ID!;
const worldDb = `starling_bench_test_${runId}`;
const strayDb = `starling_bench_stray_${runId}`;
const withDatabase = (database: string) => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
};
const quiet = { log: () => {}, progress: false } as const;

let world: World;
let sql: postgres.Sql;

beforeAll(async () => {
  world = await ensureWorld({ preset: "tiny", databaseUrl: withDatabase(worldDb), ...quiet });
  sql = postgres(world.databaseUrl, { max: 2, onnotice: () => {} });
}, 60_000);

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await world?.stop();
  const admin = postgres(withDatabase("postgres"), { max: 1, onnotice: () => {} });
  try {
    for (const db of [worldDb, strayDb]) await admin.unsafe(`drop database if exists "${db}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
});

const one = async <T>(query: Promise<T[]>): Promise<T> => (await query)[0]!;

describe("the tiny world", () => {
  it("has the preset's size and is recorded as complete", () => {
    const { meta } = world;
    expect(world.reused).toBe(false);
    expect(meta).toMatchObject({ preset: "tiny", status: "complete" });
    expect(meta.counts.users).toBe(500);
    expect(meta.counts.follows).toBeGreaterThan(5000);
    expect(meta.counts.posts).toBeGreaterThan(1000);
  });

  it("keeps every counter equal to its rows, and the totals in the metadata", async () => {
    const drift = await sql`
      select u.id from users u
      left join (select followee_id, count(*)::int n from follows group by 1) fr on fr.followee_id = u.id
      left join (select follower_id, count(*)::int n from follows group by 1) fg on fg.follower_id = u.id
      left join (select author_id, count(*)::int n from posts where deleted_at is null group by 1) p on p.author_id = u.id
      where u.followers_count <> coalesce(fr.n, 0) or u.following_count <> coalesce(fg.n, 0) or u.posts_count <> coalesce(p.n, 0)`;
    expect(drift).toEqual([]);
    const totals = await one(sql<Array<{ users: number; follows: number; posts: number }>>`
      select (select count(*)::int from users) users, (select count(*)::int from follows) follows, (select count(*)::int from posts) posts`);
    expect(totals).toEqual({ users: 500, follows: world.meta.counts.follows, posts: world.meta.counts.posts });
  });

  it("respects the follow cap and never has anyone follow themselves", async () => {
    const row = await one(sql<Array<{ most: number; self: number }>>`
      select (select max(n)::int from (select count(*) n from follows group by follower_id) x) most,
             (select count(*)::int from follows where follower_id = followee_id) self`);
    expect(row.most).toBeLessThanOrEqual(2000);
    expect(row.self).toBe(0);
  });

  it("has a skewed follower distribution whose top is the flagged superstars", async () => {
    const { superstars, authors } = world.meta.accounts;
    expect(superstars).toHaveLength(10);
    const flagged = await sql<Array<{ id: string }>>`select id::text from users where is_superstar`;
    const numerically = (ids: string[]) => ids.map(Number).sort((a, b) => a - b);
    expect(numerically(flagged.map((r) => r.id))).toEqual(numerically(superstars.map((s) => s.id)));
    // Fan-out authors have a fixed audience and are deliberately not superstars.
    const authorIds = authors.map((a) => a.id);
    const row = await one(sql<Array<{ weakest_star: number; strongest_other: number; median: number }>>`
      select min(followers_count) filter (where is_superstar) weakest_star,
             max(followers_count) filter (where not is_superstar) strongest_other,
             percentile_disc(0.5) within group (order by followers_count) median
      from users where id <> all(${authorIds}::int8[])`);
    expect(row.weakest_star).toBeGreaterThanOrEqual(row.strongest_other);
    expect(superstars[0]!.followers).toBeGreaterThan(20 * Math.max(1, row.median));
  });

  it("has the special readers and authors, following and followed as promised", async () => {
    const { readers, authors, superstars } = world.meta.accounts;
    const following = async (id: string) =>
      sql<Array<{ id: string; star: boolean }>>`select f.followee_id::text id, u.is_superstar star from follows f join users u on u.id = f.followee_id where f.follower_id = ${id}`;
    const r100 = await following(readers.follows100.id);
    expect(r100).toHaveLength(100);
    expect(r100.some((r) => r.star)).toBe(false);
    // 500 users are too few for 2000 followees: the reader follows every ordinary account it
    // may (all but the 8 readers, author and viewers, and the 20 superstars and runners-up).
    const r2000 = await following(readers.follows2000.id);
    expect(r2000).toHaveLength(readers.follows2000.following);
    expect(readers.follows2000.following).toBe(500 - 8 - 2 * 10);
    expect(r2000.some((r) => r.star)).toBe(false);
    const rStars = await following(readers.followsSuperstars.id);
    expect(rStars.map((r) => r.id).sort()).toEqual(superstars.slice(0, 10).map((s) => s.id).sort());

    expect(authors).toHaveLength(1);
    const author = await one(sql<Array<{ n: number; star: boolean }>>`
      select (select count(*)::int from follows where followee_id = ${authors[0]!.id}) n, is_superstar star from users where id = ${authors[0]!.id}`);
    expect(author).toEqual({ n: 100, star: false });
    expect(authors[0]).toMatchObject({ username: "author_100", followers: 100 });
  });

  it("has reposts by about the configured share of ordinary users, after their posts, never of their own", async () => {
    const { params, counts, clock } = world.meta;
    const row = await one(sql<Array<{ reposts: number; reposters: number; ordinary: number; early: number; late: number; own: number; special: number }>>`
      select (select count(*)::int from reposts) reposts,
             (select count(distinct user_id)::int from reposts) reposters,
             (select count(*)::int from users where username like 'user\_%') ordinary,
             (select count(*)::int from reposts r join posts p on p.id = r.post_id where r.created_at <= p.created_at) early,
             (select count(*)::int from reposts where created_at > ${clock}::timestamptz) late,
             (select count(*)::int from reposts r join posts p on p.id = r.post_id where r.user_id = p.author_id) own,
             (select count(*)::int from reposts r join users u on u.id = r.user_id where u.username not like 'user\_%') special`);
    expect(row.reposts).toBe(counts.reposts);
    expect(row.reposters).toBe(counts.reposters);
    // The share that reposts at all, and about the configured mean each (repeats and reposts after the clock dropped).
    expect(row.reposters / row.ordinary).toBeGreaterThan(params.repostFraction - 0.08);
    expect(row.reposters / row.ordinary).toBeLessThan(params.repostFraction + 0.08);
    expect(row.reposts / row.reposters).toBeGreaterThan(params.repostsPerReposter * 0.6);
    expect(row.reposts / row.reposters).toBeLessThan(params.repostsPerReposter * 1.4);
    expect(row).toMatchObject({ early: 0, late: 0, own: 0, special: 0 });
  });

  it("keeps every post's repost_count equal to its reposts", async () => {
    const drift = await sql`
      select p.id from posts p left join (select post_id, count(*)::int n from reposts group by 1) r on r.post_id = p.id
      where p.repost_count <> coalesce(r.n, 0)`;
    expect(drift).toEqual([]);
  });

  it("reposts popular accounts' posts, soon after they were posted", async () => {
    const row = await one(sql<Array<{ top_author: string; top_share: number; top_post: number; median_delay_h: number }>>`
      select (select p.author_id::text from reposts r join posts p on p.id = r.post_id group by 1 order by count(*) desc limit 1) top_author,
             (select count(*) filter (where p.author_id <= 10)::float8 / count(*) from reposts r join posts p on p.id = r.post_id) top_share,
             (select max(repost_count) from posts) top_post,
             (select percentile_cont(0.5) within group (order by extract(epoch from r.created_at - p.created_at) / 3600)
                from reposts r join posts p on p.id = r.post_id) median_delay_h`);
    // Zipf over popularity: user_1 draws the most reposts, the 10 most-followed a large share.
    expect(row.top_author).toBe("1");
    expect(row.top_share).toBeGreaterThan(0.2);
    expect(row.top_post).toBeGreaterThan(5);
    // An exponential delay of mean one day: median ln 2 days, about 17 h.
    expect(row.median_delay_h).toBeGreaterThan(8);
    expect(row.median_delay_h).toBeLessThan(30);
  });

  it("has a reader whose feed is about half reposts", async () => {
    const reader = world.meta.accounts.readers.halfReposts;
    expect(reader.username).toBe("reader_reposts");
    const followees = await sql<Array<{ star: boolean }>>`
      select u.is_superstar star from follows f join users u on u.id = f.followee_id where f.follower_id = ${reader.id}`;
    expect(followees).toHaveLength(reader.following);
    expect(reader.following).toBe(100);
    expect(followees.some((f) => f.star)).toBe(false);
    // The feed's newest items, each post once at its newest reason, computed here independently of the generator.
    const items = await sql<Array<{ repost: boolean }>>`
      with f as (select followee_id id from follows where follower_id = ${reader.id}),
      reasons as (
        select p.id, p.created_at t, false repost from posts p where p.author_id in (select id from f)
        union all select r.post_id, r.created_at, true from reposts r where r.user_id in (select id from f)),
      best as (select id, max(t) t from reasons group by id),
      items as (select b.id, b.t, exists (select 1 from reasons x where x.id = b.id and x.t = b.t and x.repost) repost from best b)
      select repost from items order by t desc, id desc limit 200`;
    const reposts = (n: number) => items.slice(0, n).filter((i) => i.repost).length;
    expect(reposts(20)).toBe(reader.firstPageReposts);
    expect(reposts(20)).toBeGreaterThanOrEqual(7);
    expect(reposts(20)).toBeLessThanOrEqual(13);
    expect(reposts(200) / items.length).toBeCloseTo(reader.repostShare, 2);
    expect(reader.repostShare).toBeGreaterThan(0.3);
    expect(reader.repostShare).toBeLessThan(0.7);
  });

  it("has live sessions in every state, each row within the table's rules and relative to the clock", async () => {
    const { clock, counts, params } = world.meta;
    const rows = await sql<Array<{ status: string; n: number; hosts: number }>>`
      select status, count(*)::int n, count(distinct host_id)::int hosts from live_sessions group by status`;
    const by = Object.fromEntries(rows.map((r) => [r.status, r]));
    expect(counts.live).toEqual({ hosts: params.liveHosts, live: by.live!.n, upcoming: by.upcoming!.n, ended: by.ended!.n, cancelled: by.cancelled!.n });
    // A few live, several upcoming, many replays.
    expect(by.live!.n).toBeGreaterThanOrEqual(1);
    expect(by.live!.n).toBe(by.live!.hosts);
    expect(by.upcoming!.n).toBeGreaterThan(by.live!.n);
    expect(by.ended!.n).toBeGreaterThan(3 * by.upcoming!.n);
    expect(by.ended!.hosts).toBe(params.liveHosts);
    expect(by.cancelled!.n).toBeGreaterThanOrEqual(1);
    // The CHECKs hold (they would have refused the rows), and so do the times' own rules.
    const wrong = await one(sql<Array<{ n: number }>>`
      select count(*)::int n from live_sessions where
        created_at > ${clock}::timestamptz
        or char_length(title) not between 1 and 100
        or (status = 'upcoming' and scheduled_at <= ${clock}::timestamptz)
        or (status = 'live' and (started_at > ${clock}::timestamptz or started_at < ${clock}::timestamptz - interval '2 hours'))
        or (status = 'ended' and (ended_at <= started_at or ended_at > ${clock}::timestamptz or started_at < scheduled_at or started_at < created_at
            or ended_at < ${clock}::timestamptz - ${`${params.days} days`}::interval))
        or (status = 'cancelled' and (cancelled_at < created_at or cancelled_at > ${clock}::timestamptz))
        or (status = 'upcoming' and created_at > scheduled_at)`);
    expect(wrong.n).toBe(0);
    // Hosts are ordinary, never a superstar.
    const stars = await one(sql<Array<{ n: number }>>`select count(*)::int n from live_sessions s join users u on u.id = s.host_id where u.is_superstar or u.username not like 'user\_%'`);
    expect(stars.n).toBe(0);
  });

  it("has the Live tab's viewers, each following that many hosts (all 60 of tiny's for viewer_2000), the first one live", async () => {
    const { viewers } = world.meta.accounts;
    expect(Object.values(viewers).map((v) => [v.username, v.wanted, v.following])).toEqual([
      ["viewer_5", 5, 5],
      ["viewer_50", 50, 50],
      ["viewer_2000", 2000, 60],
    ]);
    for (const v of Object.values(viewers)) {
      const row = await one(sql<Array<{ follows: number; hosts: number; live: number; count: number }>>`
        select count(*)::int follows,
               count(*) filter (where exists (select 1 from live_sessions s where s.host_id = f.followee_id))::int hosts,
               count(*) filter (where exists (select 1 from live_sessions s where s.host_id = f.followee_id and s.status = 'live'))::int live,
               (select following_count from users where id = ${v.id}) count
        from follows f where f.follower_id = ${v.id}`);
      expect(row).toMatchObject({ follows: v.following, hosts: v.following, count: v.following });
      expect(row.live).toBeGreaterThanOrEqual(1);
    }
  });

  it("has about the configured fraction of active users, and the rest outside the fan-out's 8-day window", async () => {
    const clock = world.meta.clock;
    const row = await one(sql<Array<{ active: number; between: number; total: number }>>`
      select count(*) filter (where last_active_at > ${clock}::timestamptz - interval '1 day')::int active,
             count(*) filter (where last_active_at <= ${clock}::timestamptz - interval '1 day' and last_active_at > ${clock}::timestamptz - interval '8 days')::int between,
             count(*)::int total
      from users where username like 'user\\_%'`);
    expect(row.active / row.total).toBeGreaterThan(0.15);
    expect(row.active / row.total).toBeLessThan(0.25);
    expect(row.between).toBe(0);
  });

  it("spreads posts over the preset's days", async () => {
    const row = await one(sql<Array<{ oldest: number; newest: number }>>`
      select extract(epoch from ${world.meta.clock}::timestamptz - min(created_at))::float8 / 86400 oldest,
             extract(epoch from ${world.meta.clock}::timestamptz - max(created_at))::float8 / 86400 newest from posts`);
    expect(row.oldest).toBeGreaterThan(25);
    expect(row.oldest).toBeLessThanOrEqual(30);
    expect(row.newest).toBeLessThan(1);
  });

  it("leaves the schema exactly as the migrations define it", async () => {
    const reference = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      expect(await schemaFingerprint(sql)).toBe(await schemaFingerprint(reference));
    } finally {
      await reference.end({ timeout: 5 });
    }
  });
});

describe("reusing a world", () => {
  it("reuses a complete world with the same parameters", async () => {
    const again = await ensureWorld({ preset: "tiny", databaseUrl: world.databaseUrl, ...quiet });
    expect(again.reused).toBe(true);
    expect(again.meta.clock).toBe(world.meta.clock);
  });

  it("moves an old world's activity forward, so its active users stay active", async () => {
    const activeNow = async () => (await one(sql<Array<{ n: number }>>`select count(*)::int n from users where last_active_at > now() - interval '8 days'`)).n;
    const before = await activeNow();
    // Age the world by ten days.
    await sql`update users set last_active_at = last_active_at - interval '10 days' where last_active_at is not null`;
    const aged = new Date(Date.parse(world.meta.activityClock) - 10 * 86_400_000).toISOString();
    await sql`update bench_world set meta = jsonb_set(meta, '{activityClock}', to_jsonb(${aged}::text))`;
    expect(await activeNow()).toBe(0);
    const again = await ensureWorld({ preset: "tiny", databaseUrl: world.databaseUrl, ...quiet });
    expect(again.reused).toBe(true);
    expect(await activeNow()).toBe(before);
  });

  it("rebuilds a world an older generator built, even when asked to reuse one", async () => {
    await sql`update bench_world set meta = jsonb_set(meta, '{generatorVersion}', '1')`;
    const rebuilt = await ensureWorld({ preset: "tiny", databaseUrl: world.databaseUrl, mode: "reuse", ...quiet });
    expect(rebuilt.reused).toBe(false);
    expect(rebuilt.meta.generatorVersion).toBe(world.meta.generatorVersion);
    expect(rebuilt.meta.counts).toEqual(world.meta.counts);
    expect(rebuilt.meta.accounts.readers.halfReposts).toEqual(world.meta.accounts.readers.halfReposts);
  });

  it("rebuilds a half-built world, and one asked for with other parameters", async () => {
    await sql`update bench_world set status = 'generating', meta = jsonb_set(meta, '{status}', '"generating"')`;
    await sql`drop index follows_followee_idx`; // as a crash mid-load would leave it
    const rebuilt = await ensureWorld({ preset: "tiny", databaseUrl: world.databaseUrl, ...quiet });
    expect(rebuilt.reused).toBe(false);
    expect(rebuilt.meta.counts).toEqual(world.meta.counts); // same seed, same world
    // Big enough for reader_2000 to reach the follow cap, and nobody beyond it.
    const bigger = await ensureWorld({ preset: "tiny", params: { seed: 2, users: 3000 }, databaseUrl: world.databaseUrl, ...quiet });
    expect(bigger.reused).toBe(false);
    expect(bigger.meta.params).toMatchObject({ seed: 2, users: 3000 });
    expect(bigger.meta.accounts.readers.follows2000.following).toBe(2000);
    const most = await sql<Array<{ id: string; n: number }>>`
      select follower_id::text id, count(*)::int n from follows group by follower_id order by n desc limit 2`;
    expect(most[0]).toEqual({ id: bigger.meta.accounts.readers.follows2000.id, n: 2000 });
    expect(most[1]!.n).toBeLessThan(2000);
  });

  it("refuses to overwrite a database that holds users but no world", async () => {
    const url = withDatabase(strayDb);
    const admin = postgres(withDatabase("postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${strayDb}"`).finally(() => admin.end({ timeout: 5 }));
    await migrateDatabase(url);
    const stray = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await stray`insert into users (username, email, display_name, password_hash) values ('somebody', 'somebody@example.com', 'Somebody', 'x')`;
      await expect(ensureWorld({ preset: "tiny", databaseUrl: url, ...quiet })).rejects.toThrow(/refusing to overwrite/);
      expect(await stray`select username from users`).toEqual([{ username: "somebody" }]);
    } finally {
      await stray.end({ timeout: 5 });
    }
  });
});
