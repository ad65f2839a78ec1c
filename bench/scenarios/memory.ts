// Redis memory per timeline entry and per active user at the default cap: full timelines
// shaped exactly like the app's (19-digit members, ms scores, a TTL) are written under a
// scratch prefix and the server's used_memory growth is divided out.
import type { BenchContext } from "../harness/context";
import { round } from "../harness/load";
import type { MemoryResult } from "../harness/results";

/** lib/env.ts' TIMELINE_CAP default. */
const CAP = 800;
const PREFIX = "bench:memory:tl:";

export async function measureMemory(ctx: BenchContext): Promise<MemoryResult> {
  const timelines = ctx.options.smoke ? 20 : 2000;
  const keys = Array.from({ length: timelines }, (_, i) => `${PREFIX}${i + 1}`);
  await ctx.redis.unlink(...keys);
  const before = await usedMemory(ctx);
  const now = Date.now();
  let postId = 1_000_000_000;
  for (let i = 0; i < keys.length; i += 50) {
    const p = ctx.redis.pipeline();
    for (const key of keys.slice(i, i + 50)) {
      const args: Array<string | number> = [];
      for (let n = 0; n < CAP; n++) {
        postId += 1 + (n % 7);
        args.push(now - n * 60_000, String(postId).padStart(19, "0"));
      }
      p.zadd(key, ...args).expire(key, 7 * 86400);
    }
    await p.exec();
  }
  const after = await usedMemory(ctx);
  const oneKey = Number(await ctx.redis.call("MEMORY", "USAGE", keys[0]!, "SAMPLES", "0"));
  await ctx.redis.unlink(...keys);
  const perTimeline = (after - before) / timelines;
  const result: MemoryResult = {
    cap: CAP,
    timelines,
    entriesPerTimeline: CAP,
    bytesPerEntry: round(perTimeline / CAP, 1),
    bytesPerActiveUser: Math.round(perTimeline),
    memoryUsageOfOneKey: oneKey,
  };
  ctx.log(`  ${timelines} timelines × ${CAP}: ${result.bytesPerEntry} B/entry, ${(result.bytesPerActiveUser / 1024).toFixed(1)} KiB per active user`);
  return result;
}

async function usedMemory(ctx: BenchContext): Promise<number> {
  const info = await ctx.redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}
