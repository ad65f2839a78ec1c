// Quick benchmark of the feed engine (the full suite, over HTTP, is bench/ issue 5's):
// home feed reads through getHomeFeed (warm timeline, cold = rebuild, with superstars
// merged) and end-to-end fan-out (createPost → Inngest → every active follower's timeline).
// Everything runs in this one process on throwaway services: embedded Postgres, a private
// redis-server behind the REST bridge, the local Inngest orchestrator calling the app's
// real /api/inngest route. So the figures include the bridge and orchestrator sharing
// this process's event loop with the reads; they are a floor.
// Run: node --conditions=react-server --import tsx bench/feed.ts  [FOLLOWERS=20000]
import { migrateDatabase } from "../db/migrate";
import { startServices } from "../scripts/local/services";
import { startOrchestrator } from "../scripts/local/inngest/orchestrator";
import { serveRoute, type RouteModule } from "../tests/local/support/serve-route";
// Imported before anything starts (a bad invocation fails before leaving anything running).
import { getSql, closeDb } from "../db";
import { getHomeFeed } from "../lib/feed/home-feed";
import { deleteTimeline, timelineKey } from "../lib/feed/timeline-store";
import { getRedis } from "../lib/redis";
import { createPost } from "../lib/posts/create-post";
import { getFeedStats } from "../lib/feed/stats";

const FOLLOWERS = Number(process.env.FOLLOWERS ?? 20_000);
const FOLLOWEES = 500;
const SUPERSTARS = 5;

const env = { ...process.env };
for (const k of ["DATABASE_URL", "REDIS_URL", "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN", "INNGEST_DEV", "INNGEST_BASE_URL"]) delete env[k];
const services = await startServices({ env, inngest: false, log: () => {} });
const orchestrator = await startOrchestrator({ port: 0, log: () => {} });
Object.assign(process.env, services.env, { REDIS_KEY_PREFIX: "bench:", RATE_LIMIT_MULTIPLIER: "1000000", INNGEST_DEV: orchestrator.url });
const route = await serveRoute((await import("../app/api/inngest/route")) as RouteModule);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function report(name: string, samples: number[], totalMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`${name.padEnd(52)} p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  ${Math.round((samples.length / totalMs) * 1000)}/s`);
}

async function timed(name: string, total: number, concurrency: number, fn: () => Promise<unknown>) {
  const samples: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < Math.ceil(total / concurrency); i++) {
        const t0 = performance.now();
        await fn();
        samples.push(performance.now() - t0);
      }
    }),
  );
  report(name, samples, performance.now() - started);
}

try {
  await migrateDatabase(process.env.DATABASE_URL!);
  await orchestrator.sync(route.url);
  const sql = getSql();
  const users = FOLLOWERS + FOLLOWEES + SUPERSTARS + 10;
  const t0 = performance.now();
  // ids 1.. in insertion order: 1 = the author, 2..FOLLOWERS+1 its followers, then
  // FOLLOWEES authors the reader follows, then superstars, then the reader.
  await sql`insert into users (username, email, display_name, password_hash, last_active_at)
    select 'bench' || g, 'bench' || g || '@bench.test', 'Bench ' || g, 'x', now() - (g || ' seconds')::interval from generate_series(1, ${users}) g`;
  const [{ min }] = await sql<[{ min: string }]>`select min(id)::text as min from users`;
  const id = (n: number) => String(BigInt(min) + BigInt(n - 1));
  const author = id(1);
  const reader = id(users);
  const followeeIds = Array.from({ length: FOLLOWEES }, (_, i) => id(FOLLOWERS + 2 + i));
  const starIds = Array.from({ length: SUPERSTARS }, (_, i) => id(FOLLOWERS + 2 + FOLLOWEES + i));
  await sql`insert into follows (follower_id, followee_id) select g, ${author}::int8 from generate_series(${id(2)}::int8, ${id(FOLLOWERS + 1)}::int8) g`;
  await sql`insert into follows (follower_id, followee_id) select ${reader}::int8, x from unnest(${[...followeeIds, ...starIds]}::int8[]) x`;
  await sql`update users set followers_count = ${FOLLOWERS} where id = ${author}`;
  await sql`update users set is_superstar = true where id = any(${starIds}::int8[])`;
  // 20 posts per followee and 100 per superstar, spread over the last 30 days.
  await sql`insert into posts (author_id, content, created_at)
    select a, 'post ' || n, now() - (random() * 30 * 86400 || ' seconds')::interval
    from unnest(${followeeIds}::int8[]) a, generate_series(1, 20) n`;
  await sql`insert into posts (author_id, content, created_at)
    select a, 'star post ' || n, now() - (random() * 30 * 86400 || ' seconds')::interval
    from unnest(${starIds}::int8[]) a, generate_series(1, 100) n`;
  await sql`analyze`;
  console.log(`world: ${users} users, author with ${FOLLOWERS} followers, reader following ${FOLLOWEES} + ${SUPERSTARS} superstars (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  // Reads.
  await getHomeFeed({ viewerId: reader, limit: 20 });
  await timed("feed read, warm, 20 posts + 5 superstars merged, c=1", 500, 1, () => getHomeFeed({ viewerId: reader, limit: 20 }));
  await timed("feed read, warm, c=16", 2000, 16, () => getHomeFeed({ viewerId: reader, limit: 20 }));
  const page3 = await getHomeFeed({ viewerId: reader, limit: 20 });
  await timed("feed read, warm, page 2 (cursor), c=1", 300, 1, () => getHomeFeed({ viewerId: reader, cursor: page3.nextCursor!, limit: 20 }));
  await timed("feed read, cold (rebuild of 505 followees), c=1", 50, 1, async () => {
    await deleteTimeline(reader);
    await getHomeFeed({ viewerId: reader, limit: 20 });
  });

  // Fan-out: every follower online (a timeline exists), the dispatcher pages them by activity.
  const redis = getRedis();
  for (let i = 0; i < FOLLOWERS; i += 1000) {
    const p = redis.pipeline();
    for (let n = i; n < Math.min(i + 1000, FOLLOWERS); n++) p.zadd(timelineKey(id(n + 2)), { score: -1, member: "nomore" });
    await p.exec();
  }
  const lags: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await createPost({ authorId: author, content: `fan-out ${i}` });
    if (!(await orchestrator.waitForIdle(120_000))) throw new Error("fan-out did not finish");
    lags.push(performance.now() - started);
  }
  const stats = await getFeedStats();
  lags.sort((a, b) => a - b);
  const median = percentile(lags, 50);
  console.log(`fan-out to ${FOLLOWERS} online followers: publish → last timeline written p50 ${median.toFixed(0)} ms (recorded lag p50 ${stats.fanout.p50Ms} ms, max ${stats.fanout.maxMs} ms) = ${Math.round(FOLLOWERS / (median / 1000))} deliveries/s`);
} finally {
  await route.close();
  await orchestrator.close();
  await closeDb();
  await services.stop();
}
