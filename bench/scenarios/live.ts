// The Live tab: first pages of GET /api/v1/feed/live (no cursor) for viewers following 5,
// 50 and 2000 hosts at each concurrency (the report sets them against the framework floor,
// as it does the feed reads), and the replay fan-out of a host with 100k followers (the
// post fan-out's author, author_100k where the world has it), at the post fan-out's active
// shares: the host schedules and starts a session through the API, and the clock runs from
// the end request until every active follower's replay queue (`rq:<id>`) holds the replay.
//
// The app records no progress for a replay's fan-out (lib/live/fanout.ts; posts have
// `stats:fanout-lag`), so completion is found by polling: pass after pass, every queue
// still missing the replay is checked with pipelined ZSCOREs (5000 a round trip) until none
// is; the time is as fine as one pass, and the passes share Redis with the fan-out itself.
import { FANOUT_BATCH_SIZE } from "../../lib/events/schemas";
import type { Author, Reader } from "../world/index";
import type { BenchContext } from "../harness/context";
import { round, runLoad } from "../harness/load";
import type { LiveSeries, LoadResult, ReplayFanoutResult } from "../harness/results";
import { appKey } from "../harness/keys";
import { keyPrefixFor, waitForBackgroundWork, type AppUnderTest } from "../harness/stack";
import { activate, forEachChunk, FRACTIONS, repostAuthor } from "./fanout";
import { PAGE, flagFailures } from "./reads";

const VIEWERS = ["follows5", "follows50", "follows2000"] as const;
const STATUS_RANK: Record<string, number> = { live: 0, upcoming: 1, ended: 2 };
const liveFeedUrl = (app: AppUnderTest) => `${app.url}/api/v1/feed/live?limit=${PAGE}`;

interface LiveItem {
  id: string;
  status: string;
  host: { id: string };
}

export async function measureLiveReads(ctx: BenchContext): Promise<LiveSeries[]> {
  const app = await ctx.app("hybrid");
  const viewers = VIEWERS.map((role) => ctx.world.accounts.viewers[role]);
  // Every viewer's page is checked before anything is measured: a benchmark of error pages would measure nothing.
  const checked = [];
  for (const viewer of viewers) {
    const cookie = await ctx.cookie(viewer);
    // The first read builds the hosts' sets and the viewer's replay queue; the next ones are the warm read.
    let page: Awaited<ReturnType<typeof checkedLivePage>> | undefined;
    for (let i = 0; i < 3; i++) page = await checkedLivePage(app, cookie, viewer);
    if (viewer.following < viewer.wanted) ctx.note(`Live feed: ${viewer.username} follows ${viewer.following} hosts, not ${viewer.wanted}: the ${ctx.world.preset} world has ${ctx.world.counts.live.hosts} hosts`);
    checked.push({ viewer, cookie, page: page! });
  }
  const series: LiveSeries[] = [];
  for (const { viewer, cookie, page } of checked) {
    const what = `live ${viewer.username}`;
    ctx.log(
      `  ${what} (follows ${viewer.following} hosts): first page ${page.live} live, ${page.upcoming} upcoming, ${page.ended} replays${page.hasNextPage ? ", more pages" : ""}; ` +
        `${page.aloneMs} ms read alone`,
    );
    // A short unmeasured load first: the JIT compiles the read path's code.
    await runLoad({ url: liveFeedUrl(app), connections: Math.max(...ctx.options.concurrencies), durationS: Math.min(2, ctx.options.durationS), cookie });
    await settle(app, cookie, page.aloneMs ?? 0);
    const loads: LoadResult[] = [];
    for (const connections of ctx.options.concurrencies) {
      const load = await runLoad({ url: liveFeedUrl(app), connections, durationS: ctx.options.durationS, cookie });
      ctx.log(`  ${what} c=${connections}: ${load.rps} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms`);
      flagFailures(ctx, `${what} c=${connections}`, load);
      loads.push(load);
      await settle(app, cookie, page.aloneMs ?? 0);
    }
    series.push({ viewer: viewer.username, hosts: viewer.following, wanted: viewer.wanted, firstPage: page, loads });
  }
  return series;
}

/**
 * A load run stops with up to `c` requests still being served; a first page that takes
 * seconds (a viewer following 2000 hosts) would then weigh on the next run. Single reads
 * until one is about as fast as the page read alone (3×, at least 200 ms; 60 s at most)
 * say the app is back at rest.
 */
async function settle(app: AppUnderTest, cookie: string, aloneMs: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const started = performance.now();
    await (await fetch(liveFeedUrl(app), { headers: { cookie } })).arrayBuffer();
    if (performance.now() - started <= Math.max(200, 3 * aloneMs)) return;
  }
}

/**
 * One first page, checked: a 200 with sessions, live first, then upcoming, then replays,
 * and at least one live (every viewer follows a live host). Anything else fails the run.
 */
export async function checkedLivePage(app: AppUnderTest, cookie: string, viewer: Reader): Promise<LiveSeries["firstPage"]> {
  const started = performance.now();
  const res = await fetch(liveFeedUrl(app), { headers: { cookie } });
  const text = await res.text();
  const aloneMs = round(performance.now() - started, 1);
  const fail = (why: string): never => {
    throw new Error(`GET /api/v1/feed/live for ${viewer.username} (following ${viewer.following} hosts) ${why}: ${res.status} ${text.slice(0, 300)}`);
  };
  if (res.status !== 200) fail("did not answer 200");
  const body = JSON.parse(text) as { items?: LiveItem[]; nextCursor?: string | null };
  const items = body.items;
  if (!Array.isArray(items) || items.length === 0) return fail("has no sessions");
  const ranks = items.map((item) => STATUS_RANK[item.status] ?? fail(`has a session with status "${item.status}"`));
  if (ranks.some((r, i) => i > 0 && r < ranks[i - 1]!)) fail(`is not live first, then upcoming, then replays (${items.map((i) => i.status).join(", ")})`);
  if (ranks[0] !== 0) fail("does not start with a live session, though the viewer follows a live host");
  const count = (status: string) => items.filter((i) => i.status === status).length;
  return { live: count("live"), upcoming: count("upcoming"), ended: count("ended"), hasNextPage: body.nextCursor != null, aloneMs };
}

/**
 * The replay fan-out of the post fan-out's author (author_100k where the world has it),
 * at each active share. The sessions made here are deleted when the world is put back
 * (created after the world's clock: harness/world-state.ts).
 */
export async function measureReplayFanout(ctx: BenchContext): Promise<ReplayFanoutResult[]> {
  const host = repostAuthor(ctx.world.accounts.authors);
  if (!host) {
    ctx.note("Replay fan-out not measured: the world has no fan-out author");
    return [];
  }
  const app = await ctx.app("hybrid");
  const prefix = keyPrefixFor("hybrid");
  const cookie = await ctx.cookie(host);
  const results: ReplayFanoutResult[] = [];
  for (const fraction of FRACTIONS) {
    const active = await activate(ctx, host, fraction);
    const keys = active.map((id) => appKey(prefix, "rq", id));
    // An empty, complete queue for every active follower: the fan-out pushes to existing queues only.
    await forEachChunk(keys, (chunk) => {
      const p = ctx.redis.pipeline();
      for (const key of chunk) p.del(key).zadd(key, -1, "nomore").expire(key, 7 * 86400);
      return p.exec();
    });
    const sessionId = await scheduleAndStart(app, cookie, host, active.length);
    // Going live notifies every follower and updates the host's set: none of it is measured.
    await waitForBackgroundWork(app);

    const started = performance.now();
    const res = await fetch(`${app.url}/api/v1/live/${sessionId}/end`, { method: "POST", headers: { cookie } });
    const ended = (await res.json()) as { status?: string; endedAt?: string | null };
    if (res.status !== 200 || ended.status !== "ended" || !ended.endedAt) throw new Error(`POST /api/v1/live/${sessionId}/end answered ${res.status}: ${JSON.stringify(ended)}`);
    const score = Date.parse(ended.endedAt);
    const member = sessionId.padStart(19, "0");
    const { polls, lastSeenMissing } = await waitForQueues(ctx, app, keys, member, score, 600_000);
    const elapsedMs = performance.now() - started;
    await waitForBackgroundWork(app);

    const delivered = keys.length - (await missing(ctx, keys, member, score)).left.length;
    await forEachChunk(keys, (chunk) => ctx.redis.unlink(...chunk));
    const result: ReplayFanoutResult = {
      host: host.username,
      followers: host.followers,
      activeFraction: fraction,
      active: active.length,
      delivered,
      endToLastMs: round(elapsedMs, 0),
      notBeforeMs: lastSeenMissing === null ? 0 : round(lastSeenMissing - started, 0),
      polls,
      deliveriesPerS: round(active.length / (elapsedMs / 1000), 0),
      batches: Math.ceil(active.length / FANOUT_BATCH_SIZE),
    };
    ctx.log(
      `  replay of ${host.username}: ${result.active} active of ${result.followers} → all ${delivered === result.active ? "" : "NOT "}delivered in ` +
        `${result.endToLastMs} ms (after ${result.notBeforeMs} ms; ${polls} polls) = ${result.deliveriesPerS} deliveries/s`,
    );
    if (delivered !== result.active) ctx.note(`⚠ replay fan-out from ${host.username}: ${delivered} of ${result.active} active followers' replay queues held the replay`);
    results.push(result);
  }
  return results;
}

/** POST /api/v1/live then /start, as the host: the session's id. */
async function scheduleAndStart(app: AppUnderTest, cookie: string, host: Author, active: number): Promise<string> {
  const headers = { cookie, "content-type": "application/json" };
  const scheduledAt = new Date(Date.now() + 120_000).toISOString();
  const res = await fetch(`${app.url}/api/v1/live`, {
    method: "POST",
    headers,
    body: JSON.stringify({ title: `Replay fan-out benchmark: ${host.username} to ${active} active followers`.slice(0, 100), scheduledAt }),
  });
  const body = (await res.json()) as { id?: string; status?: string };
  if (res.status !== 201 || !body.id) throw new Error(`POST /api/v1/live answered ${res.status}: ${JSON.stringify(body)}`);
  const start = await fetch(`${app.url}/api/v1/live/${body.id}/start`, { method: "POST", headers: { cookie } });
  const started = (await start.json()) as { status?: string };
  if (start.status !== 200 || started.status !== "live") throw new Error(`POST /api/v1/live/${body.id}/start answered ${start.status}: ${JSON.stringify(started)}`);
  return body.id;
}

/** The queues among `keys` that do not hold `member` at `score`, and when (performance.now()) one was last seen without it. */
async function missing(ctx: BenchContext, keys: readonly string[], member: string, score: number): Promise<{ left: string[]; lastSeenMissing: number | null }> {
  const left: string[] = [];
  let lastSeenMissing: number | null = null;
  await forEachChunk(keys, async (chunk) => {
    const p = ctx.redis.pipeline();
    for (const key of chunk) p.zscore(key, member);
    const results = (await p.exec()) ?? [];
    const before = left.length;
    chunk.forEach((key, i) => {
      const found = results[i]?.[1];
      if (found === null || found === undefined || Number(found) !== score) left.push(key);
    });
    if (left.length > before) lastSeenMissing = performance.now();
  });
  return { left, lastSeenMissing };
}

/**
 * Polls the queues still missing the replay until none is. If the app's background work
 * ends with some still missing (a run failed, or the fan-out skipped them), fails at once.
 */
async function waitForQueues(
  ctx: BenchContext,
  app: AppUnderTest,
  keys: readonly string[],
  member: string,
  score: number,
  timeoutMs: number,
): Promise<{ polls: number; lastSeenMissing: number | null }> {
  const started = Date.now();
  let pending = [...keys];
  let lastSeenMissing: number | null = null;
  let idleChecks = 0;
  let nextIdleCheck = started + 1000;
  for (let polls = 1; Date.now() < started + timeoutMs; polls++) {
    const pass = await missing(ctx, pending, member, score);
    pending = pass.left;
    lastSeenMissing = pass.lastSeenMissing ?? lastSeenMissing;
    if (pending.length === 0) return { polls, lastSeenMissing };
    if (Date.now() >= nextIdleCheck) {
      nextIdleCheck = Date.now() + 500;
      // Idle only when the orchestrator has nothing to run and every event has left the
      // outbox: an event whose first send failed waits there for the relay's sweep.
      const { idle } = (await (await fetch(`${app.orchestratorUrl}/idle?timeout=0`)).json()) as { idle: boolean };
      const [{ queued }] = await ctx.sql<[{ queued: boolean }]>`select exists (select 1 from outbox_events) as queued`;
      idleChecks = idle && !queued ? idleChecks + 1 : 0;
      if (idleChecks > 2) {
        throw new Error(
          `the replay fan-out of session ${member.replace(/^0+/, "")} ended with ${pending.length} of ${keys.length} active followers' queues without it ` +
            "(rerun with BENCH_APP_LOG=1 to see the app's log)",
        );
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`the replay fan-out did not reach every active follower within ${timeoutMs / 1000} s (${pending.length} queues missing it)`);
}
