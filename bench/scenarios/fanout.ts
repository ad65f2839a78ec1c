// Fan-out end to end: an author with N followers publishes through the API, and the clock
// stops when every active follower's timeline holds the post. "Active" is set up the way
// the app defines it: seen recently (last_active_at) and holding a timeline in Redis.
import { FANOUT_BATCH_SIZE } from "../../lib/events/schemas";
import type { Author } from "../world/index";
import type { BenchContext } from "../harness/context";
import { round } from "../harness/load";
import type { FanoutResult } from "../harness/results";
import { keyPrefixFor, waitForBackgroundWork, type AppUnderTest } from "../harness/stack";

const FRACTIONS = [0.1, 1];
const PIPELINE = 5000;

export async function measureFanout(ctx: BenchContext): Promise<FanoutResult[]> {
  const app = await ctx.app("hybrid");
  const prefix = keyPrefixFor("hybrid");
  const results: FanoutResult[] = [];
  for (const author of ctx.world.accounts.authors) {
    for (const fraction of FRACTIONS) {
      const active = await activate(ctx, author, fraction);
      const keys = active.map((id) => `${prefix}tl:${id}`);
      await forEachChunk(keys, (chunk) => {
        const p = ctx.redis.pipeline();
        // An empty, complete timeline: the push writes it like any other.
        for (const key of chunk) p.zadd(key, -1, "nomore").expire(key, 7 * 86400);
        return p.exec();
      });
      await waitForBackgroundWork(app);

      const cookie = await ctx.cookie(author);
      const started = performance.now();
      const res = await fetch(`${app.url}/api/v1/posts`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ content: `fan-out benchmark: ${author.username} to ${active.length} active followers` }),
      });
      if (res.status !== 201) throw new Error(`POST /api/v1/posts answered ${res.status}: ${await res.text()}`);
      const post = (await res.json()) as { id: string };
      const sample = await waitForLagSample(ctx, app, `${prefix}stats:fanout-lag`, post.id, 600_000);
      const elapsed = performance.now() - started;
      await waitForBackgroundWork(app);

      const member = post.id.padStart(19, "0");
      let delivered = 0;
      await forEachChunk(keys, async (chunk) => {
        const p = ctx.redis.pipeline();
        for (const key of chunk) p.zscore(key, member);
        for (const [, score] of (await p.exec()) ?? []) if (score !== null) delivered += 1;
      });
      await forEachChunk(keys, (chunk) => ctx.redis.unlink(...chunk));

      const result: FanoutResult = {
        author: author.username,
        followers: author.followers,
        activeFraction: fraction,
        active: active.length,
        delivered,
        publishToLastMs: round(elapsed, 0),
        recordedLagMs: sample.lagMs,
        deliveriesPerS: round(active.length / (elapsed / 1000), 0),
        batches: Math.ceil(active.length / FANOUT_BATCH_SIZE),
      };
      ctx.log(`  ${author.username}: ${active.length} active of ${author.followers} → all ${delivered === active.length ? "" : "NOT "}delivered in ${result.publishToLastMs} ms = ${result.deliveriesPerS} deliveries/s`);
      if (delivered !== active.length) ctx.note(`⚠ fan-out from ${author.username}: ${delivered} of ${active.length} active followers' timelines held the post`);
      results.push(result);
    }
  }
  return results;
}

/**
 * Makes `fraction` of the author's followers active (seen within the last day) and the rest inactive
 * (seen a month ago, outside the fan-out's window); returns the active ones' ids.
 */
async function activate(ctx: BenchContext, author: Author, fraction: number): Promise<string[]> {
  // A hash of the id, not the id itself: who follows an author correlates with id ranges.
  const buckets = Math.round(fraction * 1000);
  await ctx.sql`
    update users u set last_active_at = case
      when abs(hashint8(u.id)) % 1000 < ${buckets} then now() - (abs(hashint8(u.id + 1)) % 86400000) * interval '1 millisecond'
      else now() - interval '30 days' end
    from follows f where f.followee_id = ${author.id}::int8 and f.follower_id = u.id`;
  await ctx.sql`analyze users`;
  const rows = await ctx.sql<Array<{ id: string }>>`
    select f.follower_id::text as id from follows f join users u on u.id = f.follower_id
    where f.followee_id = ${author.id}::int8 and u.last_active_at > now() - interval '1 day'`;
  return rows.map((r) => r.id);
}

/**
 * Polls the app's fan-out lag samples until the post's appears: its last batch is done.
 * If the app's background work ends without it (a run failed), says so at once.
 */
async function waitForLagSample(ctx: BenchContext, app: AppUnderTest, key: string, postId: string, timeoutMs: number): Promise<{ lagMs: number; deliveries: number }> {
  const deadline = Date.now() + timeoutMs;
  let idleChecks = 0;
  for (let polls = 1; Date.now() < deadline; polls++) {
    for (const raw of await ctx.redis.lrange(key, 0, 9)) {
      const sample = JSON.parse(raw) as { postId: string; lagMs: number; deliveries: number };
      if (sample.postId === postId) return sample;
    }
    if (polls % 100 === 0) {
      const { idle } = (await (await fetch(`${app.orchestratorUrl}/idle?timeout=0`)).json()) as { idle: boolean };
      if (idle && ++idleChecks > 1) throw new Error(`the fan-out of post ${postId} ended without reaching every active follower: a run failed (rerun with BENCH_APP_LOG=1 to see the app's log)`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the fan-out of post ${postId} did not finish within ${timeoutMs / 1000} s`);
}

async function forEachChunk<T>(items: readonly T[], fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += PIPELINE) await fn(items.slice(i, i + PIPELINE));
}
