// The feed's whole background machinery for a test file: a private Inngest orchestrator
// running the app's real functions through the real /api/inngest route, so events that
// lib code sends (post/created, follow/*, …) fan out for real. `settle()` waits until
// every run, retry and batch has finished.
import { afterAll, beforeAll, expect } from "vitest";
import { getSql } from "@/db";
import { resetEnvCache } from "@/lib/env";
import { getRedis } from "@/lib/redis";
import type { Orchestrator } from "@/scripts/local/inngest/orchestrator";
import { serveRoute, type RouteHandler, type RouteModule, type ServedRoute } from "../../local/support/serve-route";
import { startSignedOrchestrator, pointInngestAt } from "../../local/support/signed-inngest";

export interface FeedEngine {
  orchestrator: Orchestrator;
  settle(timeoutMs?: number): Promise<void>;
  /**
   * Serves the functions from another copy of the app's modules too: from now on the
   * orchestrator's calls alternate between the copies, as a load balancer would spread
   * them over app instances.
   */
  addInstance(route: RouteModule): void;
  close(): Promise<void>;
}

/** One route made of several instances' handlers, each request to the next in turn. */
function roundRobin(instances: readonly RouteModule[]): RouteModule {
  let next = 0;
  const handler = (method: keyof RouteModule): RouteHandler => (req, ctx) => instances[next++ % instances.length]![method]!(req, ctx);
  return { GET: handler("GET"), POST: handler("POST"), PUT: handler("PUT") };
}

export async function startFeedEngine(): Promise<FeedEngine> {
  const { orchestrator, env, appPort } = await startSignedOrchestrator({ retryBaseMs: 10, retryMaxMs: 200 });
  // Signed, as the app runs: the SDK reads these when the client is created and on every
  // request, so lib code now sends here and the route checks this orchestrator's signatures.
  const restoreEnv = pointInngestAt(env);
  let route: ServedRoute | undefined;
  const instances = [(await import("@/app/api/inngest/route")) as RouteModule];
  try {
    route = await serveRoute(roundRobin(instances), "/api/inngest", appPort);
    const report = await orchestrator.sync();
    expect(report.warnings).toEqual([]);
  } catch (error) {
    await route?.close();
    await orchestrator.close();
    restoreEnv();
    throw error;
  }
  return {
    orchestrator,
    async settle(timeoutMs = 60_000) {
      if (!(await orchestrator.waitForIdle(timeoutMs))) throw new Error("the feed's background work did not settle");
      const failed = orchestrator.runs().filter((r) => r.status === "failed");
      expect(failed, "failed Inngest runs").toEqual([]);
      expect(route?.thrown, "errors thrown by /api/inngest").toEqual([]);
    },
    addInstance(instance) {
      instances.push(instance);
    },
    async close() {
      await route?.close();
      await orchestrator.close();
      restoreEnv();
    },
  };
}

/**
 * The engine for the calling test file: started before its tests, closed after them.
 * Call at the top level. Posting limits are lifted, as the tests post a lot.
 */
export function feedEngineForFile(): Pick<FeedEngine, "settle" | "addInstance"> {
  process.env.RATE_LIMIT_MULTIPLIER = "1000";
  let engine: FeedEngine | undefined;
  beforeAll(async () => {
    engine = await startFeedEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });
  return { settle: (timeoutMs) => engine!.settle(timeoutMs), addInstance: (route) => engine!.addInstance(route) };
}

/** Runs `fn` with environment overrides (validated env re-read), restoring them afterwards. */
export async function withEnv<T>(overrides: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(overrides).map((k) => [k, process.env[k]]));
  Object.assign(process.env, overrides);
  resetEnvCache();
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  }
}

/** Deletes every key under the current prefix: "Redis was flushed". */
export async function flushRedisPrefix(prefix: string): Promise<void> {
  const redis = getRedis();
  let cursor = "0";
  do {
    const [next, keys] = (await redis.scan(cursor, { match: `${prefix}*`, count: 1000 })) as [string, string[]];
    if (keys.length > 0) await redis.del(...keys);
    cursor = String(next);
  } while (cursor !== "0");
}

/**
 * The feed's rules written straight in SQL, as the API contract states them: each post
 * once, at its newest reason (its publication when its author is the reader, or followed
 * and it is not a reply to someone else the reader does not follow; or a repost by a
 * followee with showReposts on), nothing by or reposted by muted or blocked accounts or
 * those who blocked the reader, newest first, ties by id. Each item is its post id, plus
 * `<reposter` when it is there for a repost (the newest reposter, ties to the higher id).
 */
export async function groundTruth(userId: string): Promise<string[]> {
  const rows = await getSql()<Array<{ id: string; by: string | null }>>`
    with f as (select followee_id, show_reposts from follows where follower_id = ${userId}),
    hidden as (
      select muted_id as id from mutes where muter_id = ${userId}
      union select blocked_id from blocks where blocker_id = ${userId}
      union select blocker_id from blocks where blocked_id = ${userId}
    ),
    reasons as (
      select p.id, p.created_at as at, null::int8 as by from posts p
      where p.deleted_at is null
        and (p.author_id = ${userId}
          or (p.author_id in (select followee_id from f) and p.author_id not in (select id from hidden)
            and (p.reply_to_user_id is null or p.reply_to_user_id = ${userId} or p.reply_to_user_id = p.author_id
              or p.reply_to_user_id in (select followee_id from f))))
      union all
      select p.id, r.created_at, r.user_id from reposts r join posts p on p.id = r.post_id
      where p.deleted_at is null
        and r.user_id in (select followee_id from f where show_reposts) and r.user_id not in (select id from hidden)
        and (p.author_id = ${userId} or p.author_id not in (select id from hidden))
    ),
    top as (
      select distinct on (id) id, at, by from reasons order by id, at desc, by desc nulls last
    )
    select id::text as id, by::text as by from top order by top.at desc, top.id desc`;
  return rows.map((r) => (r.by ? `${r.id}<${r.by}` : r.id));
}
