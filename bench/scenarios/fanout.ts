// Fan-out end to end: an author with N followers publishes through the API, and the clock
// stops when every active follower's timeline holds the post. "Active" is set up the way
// the app defines it: seen recently (last_active_at) and holding a timeline in Redis.
// One author (author_100k where the world has it) then reposts a post of the world to the
// same active followers, measured the same way: a repost is pushed like a post, at the
// repost's time, each batch filtered for the followers who take reposts from the author.
import type { Author } from "../world/index";
import type { BenchContext } from "../harness/context";
import { round } from "../harness/load";
import { costProbeFor, startCostMeter } from "../harness/cpu";
import type { FanoutResult, RepostFanoutResult, WorkCost } from "../harness/results";
import { appKey } from "../harness/keys";
import { keyPrefixFor, waitForBackgroundWork, type AppUnderTest } from "../harness/stack";

export const FRACTIONS = [0.1, 1];
const PIPELINE = 5000;
/** The audience of the author whose repost is measured. */
export const REPOST_AUDIENCE = 100_000;

export interface FanoutResults {
  posts: FanoutResult[];
  reposts: RepostFanoutResult[];
}

/** author_100k if the world has it, else the largest fan-out author below that audience (else the smallest). */
export function repostAuthor(authors: readonly Author[]): Author | undefined {
  const below = authors.filter((a) => a.wanted <= REPOST_AUDIENCE).sort((a, b) => b.wanted - a.wanted);
  return below[0] ?? [...authors].sort((a, b) => a.wanted - b.wanted)[0];
}

export async function measureFanout(ctx: BenchContext): Promise<FanoutResults> {
  const app = await ctx.app("hybrid");
  const prefix = keyPrefixFor("hybrid");
  const reposter = repostAuthor(ctx.world.accounts.authors);
  const results: FanoutResults = { posts: [], reposts: [] };
  for (const author of ctx.world.accounts.authors) {
    for (const fraction of FRACTIONS) {
      const active = await activate(ctx, author, fraction);
      const keys = active.map((id) => appKey(prefix, "tl", id));
      const cookie = await ctx.cookie(author);

      const post = await measureOne(ctx, app, keys, async () => {
        const res = await fetch(`${app.url}/api/v1/posts`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify({ content: `fan-out benchmark: ${author.username} to ${active.length} active followers` }),
        });
        if (res.status !== 201) throw new Error(`POST /api/v1/posts answered ${res.status}: ${await res.text()}`);
        const { id } = (await res.json()) as { id: string };
        return { progressId: id, postId: id };
      });
      const result = describe(author, fraction, active.length, post);
      report(ctx, `${author.username}`, result);
      results.posts.push(result);

      if (author.id !== reposter?.id) continue;
      const reposted = await postToRepost(ctx, author);
      const repost = await measureOne(ctx, app, keys, async () => {
        const res = await fetch(`${app.url}/api/v1/posts/${reposted}/repost`, { method: "POST", headers: { cookie } });
        const body = (await res.json()) as { repostedByMe?: boolean };
        if (res.status !== 200 || body.repostedByMe !== true) throw new Error(`POST /api/v1/posts/${reposted}/repost answered ${res.status}: ${JSON.stringify(body)}`);
        // The timelines hold the post at the repost's time, not at its publication.
        const [row] = await ctx.sql<Array<{ t: string }>>`
          select (extract(epoch from created_at) * 1000)::int8::text as t from reposts where user_id = ${author.id}::int8 and post_id = ${reposted}::int8`;
        if (!row) throw new Error(`the repost of post ${reposted} by ${author.username} is not in Postgres`);
        // The fan-out's progress is recorded under the post and its reposter (lib/feed/fanout.ts).
        return { progressId: `${reposted}:${author.id}`, postId: reposted, score: Number(row.t) };
      });
      const repostResult: RepostFanoutResult = { ...describe(author, fraction, active.length, repost), postId: reposted };
      report(ctx, `${author.username} reposting post ${reposted}`, repostResult);
      results.reposts.push(repostResult);
    }
  }
  return results;
}

interface Measured {
  elapsedMs: number;
  lagMs: number;
  delivered: number;
  /** Batches the dispatcher made, as it recorded them (they are sized by audience). */
  batches: number;
  /** What the fan-out cost the stack per delivery, from before the publish to the last batch done. */
  cost: WorkCost;
}

/**
 * Gives every active follower an empty timeline, publishes (the clock runs from just before
 * the request), waits for the app to record the fan-out's last batch, and counts the
 * timelines holding the post (at `score`, when given). The timelines are deleted again.
 */
async function measureOne(
  ctx: BenchContext,
  app: AppUnderTest,
  keys: readonly string[],
  publish: () => Promise<{ progressId: string; postId: string; score?: number }>,
): Promise<Measured> {
  await forEachChunk(keys, (chunk) => {
    const p = ctx.redis.pipeline();
    // An empty, complete timeline: the push writes it like any other.
    for (const key of chunk) p.zadd(key, -1, "nomore").expire(key, 7 * 86400);
    return p.exec();
  });
  await waitForBackgroundWork(app);
  // Postgres counts not waited for (≈): an 11 s wait each side would add minutes to a run.
  const meter = await startCostMeter(await costProbeFor(ctx, app), { settlePg: false });

  const started = performance.now();
  const { progressId, postId, score } = await publish();
  const sample = await waitForLagSample(ctx, app, appKey(app.keyPrefix, "stats", "fanout-lag"), progressId, 600_000);
  const elapsedMs = performance.now() - started;
  await waitForBackgroundWork(app);
  // Per active follower: one delivery each (the count below checks they all landed).
  const cost = await meter.stop(keys.length);
  // The fan-out's progress hash (lib/feed/stats.ts): `total` is the dispatcher's batch count.
  const batches = Number(await ctx.redis.hget(appKey(app.keyPrefix, "fanout", progressId), "total"));

  const member = postId.padStart(19, "0");
  let delivered = 0;
  await forEachChunk(keys, async (chunk) => {
    const p = ctx.redis.pipeline();
    for (const key of chunk) p.zscore(key, member);
    for (const [, found] of (await p.exec()) ?? []) if (found !== null && (score === undefined || Number(found) === score)) delivered += 1;
  });
  await forEachChunk(keys, (chunk) => ctx.redis.unlink(...chunk));
  return { elapsedMs, lagMs: sample.lagMs, delivered, batches, cost };
}

function describe(author: Author, fraction: number, active: number, m: Measured): FanoutResult {
  return {
    author: author.username,
    followers: author.followers,
    activeFraction: fraction,
    active,
    delivered: m.delivered,
    publishToLastMs: round(m.elapsedMs, 0),
    recordedLagMs: m.lagMs,
    deliveriesPerS: round(active / (m.elapsedMs / 1000), 0),
    batches: m.batches,
    cost: m.cost,
  };
}

function report(ctx: BenchContext, what: string, r: FanoutResult): void {
  ctx.log(`  ${what}: ${r.active} active of ${r.followers} → all ${r.delivered === r.active ? "" : "NOT "}delivered in ${r.publishToLastMs} ms = ${r.deliveriesPerS} deliveries/s`);
  if (r.delivered !== r.active) ctx.note(`⚠ fan-out from ${what}: ${r.delivered} of ${r.active} active followers' timelines held the post`);
}

/**
 * A post of the world for `author` to repost: the newest top-level one by an ordinary
 * (pushed) account, not reposted by them yet. The run's reposts are deleted when the world
 * is put back (harness/world-state.ts).
 */
async function postToRepost(ctx: BenchContext, author: Author): Promise<string> {
  const [row] = await ctx.sql<Array<{ id: string }>>`
    select p.id::text as id from posts p join users u on u.id = p.author_id
    where p.id <= ${ctx.world.maxPostId}::int8 and p.deleted_at is null and p.reply_to_id is null
      and not u.is_superstar and p.author_id <> ${author.id}::int8
      and not exists (select 1 from reposts r where r.user_id = ${author.id}::int8 and r.post_id = p.id)
    order by p.id desc limit 1`;
  if (!row) throw new Error(`the world has no post for ${author.username} to repost`);
  return row.id;
}

/**
 * Makes `fraction` of the author's followers active (seen within the last day) and the rest inactive
 * (seen a month ago, outside the fan-out's window); returns the active ones' ids.
 */
export async function activate(ctx: BenchContext, author: Author, fraction: number): Promise<string[]> {
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
 * Polls the app's fan-out lag samples until the fan-out's appears (`id`: a post's id, or
 * `<post id>:<reposter id>` for a repost): its last batch is done. If the app's background
 * work ends without it (a run failed), says so at once.
 */
async function waitForLagSample(ctx: BenchContext, app: AppUnderTest, key: string, id: string, timeoutMs: number): Promise<{ lagMs: number; deliveries: number }> {
  const deadline = Date.now() + timeoutMs;
  let idleChecks = 0;
  for (let polls = 1; Date.now() < deadline; polls++) {
    for (const raw of await ctx.redis.lrange(key, 0, 9)) {
      const sample = JSON.parse(raw) as { postId: string; lagMs: number; deliveries: number };
      if (sample.postId === id) return sample;
    }
    if (polls % 100 === 0) {
      const { idle } = (await (await fetch(`${app.orchestratorUrl}/idle?timeout=0`)).json()) as { idle: boolean };
      if (idle && ++idleChecks > 1) throw new Error(`the fan-out of ${id} ended without reaching every active follower: a run failed (rerun with BENCH_APP_LOG=1 to see the app's log)`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the fan-out of ${id} did not finish within ${timeoutMs / 1000} s`);
}

export async function forEachChunk<T>(items: readonly T[], fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += PIPELINE) await fn(items.slice(i, i + PIPELINE));
}
