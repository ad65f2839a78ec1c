// The machine's own limits, measured in the same run so Starling's figures can be read as
// ratios: Redis' pipelined ZADD and ZRANGE rates (redis-benchmark), a Next.js route that
// returns constant JSON under the feed reads' load (the framework's floor), and Postgres
// primary-key lookups through the app's driver.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import postgres from "postgres";
import type { BenchContext } from "../harness/context";
import { runLoad, round } from "../harness/load";
import type { LoadResult, MachineLimits } from "../harness/results";
import { flagFailures } from "./reads";

const run = promisify(execFile);
const PIPELINE = 16;

export async function measureLimits(ctx: BenchContext, databaseUrl: string): Promise<MachineLimits> {
  const redis = await redisBenchmark(ctx);
  const pgPkLookupsPerS = await pkLookups(ctx, databaseUrl);
  const app = await ctx.app("hybrid");
  const floor: LoadResult[] = [];
  await runLoad({ url: `${app.url}/api/ping`, connections: Math.max(...ctx.options.concurrencies), durationS: Math.min(2, ctx.options.durationS) }); // JIT warm-up
  for (const connections of ctx.options.concurrencies) {
    const load = await runLoad({ url: `${app.url}/api/ping`, connections, durationS: ctx.options.durationS });
    ctx.log(`  framework floor c=${connections}: ${load.rps} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms`);
    flagFailures(ctx, `floor c=${connections}`, load);
    floor.push(load);
  }
  return { redis, floor, pgPkLookupsPerS };
}

async function redisBenchmark(ctx: BenchContext): Promise<MachineLimits["redis"]> {
  const { hostname, port } = new URL(ctx.redisUrl);
  const requests = ctx.options.smoke ? 20_000 : 500_000;
  const key = "bench:limits:tl";
  // A timeline-sized set for ZRANGE to read the newest 21 of, as a feed page does.
  await ctx.redis.del(key);
  const args: Array<string | number> = [];
  for (let n = 0; n < 800; n++) args.push(n, String(n).padStart(19, "0"));
  await ctx.redis.zadd(key, ...args);
  const bench = async (...command: string[]) => {
    const { stdout } = await run("redis-benchmark", ["-h", hostname, "-p", port, "-n", String(requests), "-P", String(PIPELINE), "-r", "1000000", "-q", "--csv", ...command]);
    const last = stdout.trim().split("\n").at(-1) ?? "";
    const rps = Number(last.split(",")[1]?.replaceAll('"', ""));
    if (!Number.isFinite(rps)) throw new Error(`unexpected redis-benchmark output: ${stdout.slice(0, 300)}`);
    return rps;
  };
  try {
    const zaddPerS = await bench("ZADD", "bench:limits:zadd", "__rand_int__", "__rand_int__");
    const zrangePerS = await bench("ZRANGE", key, "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "0", "21", "WITHSCORES");
    ctx.log(`  redis-benchmark (pipeline ${PIPELINE}): ZADD ${Math.round(zaddPerS)}/s, ZRANGE ${Math.round(zrangePerS)}/s`);
    return { zaddPerS: Math.round(zaddPerS), zrangePerS: Math.round(zrangePerS), pipeline: PIPELINE };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "redis-benchmark is not installed" : String(error);
    ctx.note(`Redis limits skipped: ${reason}`);
    return { skipped: reason };
  } finally {
    await ctx.redis.del(key, "bench:limits:zadd");
  }
}

/** Random users by primary key, 64 queries in flight over 16 connections, for the load duration. */
async function pkLookups(ctx: BenchContext, databaseUrl: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 16, prepare: true, onnotice: () => {} });
  const maxId = Number(ctx.world.maxUserId);
  let done = 0;
  const deadline = performance.now() + ctx.options.durationS * 1000;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (performance.now() < deadline) {
          const id = 1 + Math.floor(Math.random() * maxId);
          await sql`select id, username, display_name from users where id = ${id}`;
          done += 1;
        }
      }),
    );
  } finally {
    await sql.end();
  }
  const rate = round(done / ((performance.now() - started) / 1000), 0);
  ctx.log(`  Postgres primary-key lookups: ${rate}/s`);
  return rate;
}
