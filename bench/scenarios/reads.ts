// Feed reads over HTTP: GET /api/v1/feed?limit=20 at each concurrency, for a warm
// timeline, a warm timeline about half of whose items are reposts, cold timelines (every
// request rebuilds one), a reader following 2000 accounts and a reader following 10
// superstars, under any of the three feed models.
import type { Reader } from "../world/index";
import type { BenchContext } from "../harness/context";
import { costed, costProbeFor, pgCounter, waitForPgStats } from "../harness/cpu";
import { appKey } from "../harness/keys";
import { runLoad } from "../harness/load";
import type { FeedModel, LoadResult, ReadSeries, ReaderKind } from "../harness/results";
import { keyPrefixFor, type AppUnderTest } from "../harness/stack";

export const PAGE = 20;
/** The reposts reader's first page must have about half its items there by a repost: between these shares. */
const REPOST_SHARE = { min: 0.3, max: 0.7 };
const feedUrl = (app: AppUnderTest) => `${app.url}/api/v1/feed?limit=${PAGE}`;

export async function measureReads(ctx: BenchContext, model: FeedModel, kinds: readonly ReaderKind[]): Promise<ReadSeries[]> {
  const app = await ctx.app(model);
  const series: ReadSeries[] = [];
  for (const kind of kinds) {
    series.push(kind === "cold" ? await coldReads(ctx, app) : await warmReads(ctx, app, kind));
  }
  return series;
}

function readerFor(ctx: BenchContext, kind: Exclude<ReaderKind, "cold">): { reader: Reader; detail: string } {
  const r = ctx.world.accounts.readers;
  if (kind === "reposts") {
    const half = r.halfReposts;
    return { reader: half, detail: `${half.username} (follows ${half.following}, ${Math.round(half.repostShare * 100)}% reposts)` };
  }
  if (kind === "warm") return { reader: r.follows100, detail: `${r.follows100.username} (follows ${r.follows100.following})` };
  if (kind === "follows2000") return { reader: r.follows2000, detail: `${r.follows2000.username} (follows ${r.follows2000.following})` };
  return { reader: r.followsSuperstars, detail: `${r.followsSuperstars.username} (follows ${r.followsSuperstars.following} superstars)` };
}

async function warmReads(ctx: BenchContext, app: AppUnderTest, kind: Exclude<ReaderKind, "cold">): Promise<ReadSeries> {
  const { reader, detail } = readerFor(ctx, kind);
  const cookie = await ctx.cookie(reader);
  // The first read builds what the model caches; the next ones are what "warm" means.
  let page: { items: unknown[] } | undefined;
  for (let i = 0; i < 3; i++) page = await checkedPage(app, cookie, detail);
  const reposts = kind === "reposts" ? checkRepostShare(ctx, app, page!.items, detail) : undefined;
  const probe = await costProbeFor(ctx, app);
  // Postgres counts over the warm-up and the loads: the same reader, the same requests.
  const pg = pgCounter(probe, { settle: settlePg(ctx, app) });
  await pg.start();
  // A short unmeasured load first: the JIT compiles the read path's code.
  const warmup = await runLoad({ url: feedUrl(app), connections: Math.max(...ctx.options.concurrencies), durationS: Math.min(2, ctx.options.durationS), cookie });
  const loads: LoadResult[] = [];
  for (const connections of ctx.options.concurrencies) {
    const load = await costed(probe, () => runLoad({ url: feedUrl(app), connections, durationS: ctx.options.durationS, cookie }));
    ctx.log(`  ${app.model} ${kind} c=${connections}: ${load.rps} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms${costLine(load)}`);
    flagFailures(ctx, `${app.model} ${kind} c=${connections}`, load);
    loads.push(load);
  }
  const pgCost = await pg.end(warmup.requests + loads.reduce((n, l) => n + l.requests, 0));
  if (pgCost) ctx.log(`  ${app.model} ${kind}: ${pgCost.perUnit} Postgres transactions per request`);
  return { model: app.model, reader: kind, readerDetail: detail, loads, ...(reposts ?? {}), ...(pgCost ? { pg: pgCost } : {}) };
}

/**
 * Postgres counts are read once the backends have published them (an 11 s wait per series):
 * for the hybrid reads and pages, whose costs the report tables; not in the smoke run, nor
 * for the other models (their reads are for comparison, and a full run stays under 15 min).
 */
export function settlePg(ctx: BenchContext, app: AppUnderTest): boolean {
  return !ctx.options.smoke && app.model === "hybrid";
}

/** The log line's tail: CPU ms per request in Next.js and over the whole stack, Redis commands per request. */
export function costLine(load: LoadResult): string {
  const c = load.cost;
  if (!c) return "";
  const total = Object.values(c.cpuMs).reduce<number>((a, b) => a + (b ?? 0), 0);
  return `; CPU/req ${c.cpuMs.next ?? "?"} ms next, ${total.toFixed(2)} ms all; ${c.redis?.commands ?? "?"} Redis cmds/req`;
}

/**
 * The reposts reader is only worth comparing if its page really is about half reposts
 * (FeedItem.reason set): a feed engine that dropped or flattened reposts would make it a
 * second plain reader. Anything else fails the run.
 */
function checkRepostShare(ctx: BenchContext, app: AppUnderTest, items: unknown[], who: string): { firstPageReposts: number; firstPageItems: number } {
  const reposts = items.filter((item) => (item as { reason?: unknown }).reason != null).length;
  const share = reposts / items.length;
  ctx.log(`  ${app.model} reposts: ${reposts} of the ${items.length} items of ${who}'s first page are reposts`);
  if (items.length < PAGE || share < REPOST_SHARE.min || share > REPOST_SHARE.max) {
    throw new Error(
      `the first page of ${who} has ${reposts} reposts among ${items.length} items (reason != null), not about half of ${PAGE} ` +
        `(the world promised ${ctx.world.accounts.readers.halfReposts.firstPageReposts}): its reads would not measure a feed of reposts`,
    );
  }
  return { firstPageReposts: reposts, firstPageItems: items.length };
}

/**
 * Every request is a different reader whose timeline was just deleted, so every request
 * rebuilds one. Readers are ordinary users following 50–500 accounts.
 */
async function coldReads(ctx: BenchContext, app: AppUnderTest): Promise<ReadSeries> {
  const amountFor = (c: number) => (ctx.options.smoke ? Math.max(4, c * 2) : Math.min(512, Math.max(60, c * 8)));
  const needed = Math.max(...ctx.options.concurrencies.map(amountFor));
  const readers = await ctx.sql<Array<{ id: string; username: string; following: number }>>`
    select id::text, username, following_count as following from users
    where id <= ${ctx.world.maxUserId}::int8 and not is_superstar and following_count between 50 and 500
    order by (id * 2654435761) % 1000003
    limit ${needed}`;
  if (readers.length === 0) throw new Error("the world has no user following 50–500 accounts to read cold");
  const cookies = await Promise.all(readers.map((r) => ctx.cookie(r)));
  const following = readers.map((r) => r.following).sort((a, b) => a - b);
  const detail = `${readers.length} readers following ${following[0]}–${following.at(-1)} (median ${following[Math.floor(following.length / 2)]}), each timeline missing`;
  const loads: LoadResult[] = [];
  const probe = await costProbeFor(ctx, app);
  const pg = pgCounter(probe, { settle: settlePg(ctx, app) });
  // The cookies just minted are transactions of the world's database too: their counts
  // are published before the series starts.
  if (settlePg(ctx, app)) await waitForPgStats();
  await pg.start();
  for (const connections of ctx.options.concurrencies) {
    const amount = Math.min(amountFor(connections), readers.length);
    await dropTimelines(ctx, app.model, readers.slice(0, amount).map((r) => r.id));
    const load = await costed(probe, () => runLoad({ url: feedUrl(app), connections, amount, cookies: cookies.slice(0, amount) }));
    ctx.log(`  ${app.model} cold c=${connections} (${amount} rebuilds): ${load.rps} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms${costLine(load)}`);
    flagFailures(ctx, `${app.model} cold c=${connections}`, load);
    loads.push(load);
  }
  const pgCost = await pg.end(loads.reduce((n, l) => n + l.requests, 0));
  if (pgCost) ctx.log(`  ${app.model} cold: ${pgCost.perUnit} Postgres transactions per request`);
  return { model: app.model, reader: "cold", readerDetail: detail, loads, ...(pgCost ? { pg: pgCost } : {}) };
}

/** Deletes users' home timelines (and any lease or parked writes) in the model's key space. */
export async function dropTimelines(ctx: BenchContext, model: FeedModel, userIds: readonly string[]): Promise<void> {
  const prefix = keyPrefixFor(model);
  for (let i = 0; i < userIds.length; i += 5000) {
    const keys = userIds.slice(i, i + 5000).flatMap((id) => [appKey(prefix, "tl", id), appKey(prefix, "tl", id, "lease"), appKey(prefix, "tl", id, "pending")]);
    await ctx.redis.unlink(...keys);
  }
}

/** One page, checked: a benchmark of error pages would measure nothing. */
export async function checkedPage(app: AppUnderTest, cookie: string, who: string): Promise<{ items: unknown[] }> {
  const res = await fetch(feedUrl(app), { headers: { cookie } });
  const body = (await res.json()) as { items?: unknown[] };
  if (res.status !== 200 || !Array.isArray(body.items)) throw new Error(`GET /api/v1/feed for ${who} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  if (body.items.length === 0) throw new Error(`GET /api/v1/feed for ${who} is empty: the world has no posts for this reader`);
  return { items: body.items };
}

export function flagFailures(ctx: BenchContext, what: string, load: LoadResult): void {
  if (load.errors > 0 || load.non2xx > 0) ctx.note(`⚠ ${what}: ${load.non2xx} non-2xx answers and ${load.errors} errors/timeouts out of ${load.requests} requests`);
}
