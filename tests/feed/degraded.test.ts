// A Redis outage degrades the site and never breaks it. This file gets a redis-server of
// its own (supervised, as the launcher runs it) behind its own REST bridge, points the
// app's client at it, then stops it (SIGSTOP: connections hang) and kills it (SIGKILL:
// the supervisor restarts it empty). Meanwhile feeds are served from Postgres with the
// same cursors, posts, follows and likes work, rate limits still limit, and health says
// "degraded"; afterwards the breaker closes by itself and timelines are rebuilt.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { encodeCursor } from "@/lib/cursor";
import { countNewerPosts, getHomeFeed } from "@/lib/feed/home-feed";
import { feedPosition as positionOf } from "@/lib/feed/feed-item";
import { readTimeline } from "@/lib/feed/timeline-store";
import { followUser } from "@/lib/follows/follow";
import { likePost } from "@/lib/reactions/likes";
import { createPost } from "@/lib/posts/create-post";
import { enforceRateLimit, RateLimitError, type RateLimitName } from "@/lib/rate-limit";
import { getRedis, redisBreaker, redisKey } from "@/lib/redis";
import { resetEnvCache } from "@/lib/env";
import type { User } from "@/db/schema";
import { startPrivateRedis, type LocalRedis } from "@/scripts/local/redis-server";
import { startRedisBridge, type RedisBridge } from "@/scripts/local/redis-bridge";
import type { Orchestrator } from "@/scripts/local/inngest/orchestrator";
import { freePort } from "@/scripts/local/problems";
import { serveRoute, type RouteModule, type ServedRoute } from "../local/support/serve-route";
import { startSignedOrchestrator, pointInngestAt } from "../local/support/signed-inngest";
import { makeUser, makeUsers, uniqueIp, suffix } from "../support/fixtures";
import { insertPosts } from "../posts/support";
import { groundTruth } from "./support/engine";
import { readWholeFeed } from "./support/read";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const saved = { ...process.env };
let redis: LocalRedis;
let bridge: RedisBridge;
let orchestrator: Orchestrator;
let route: ServedRoute;
const supervisorLog: string[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis({ port: await freePort(), log: (line) => supervisorLog.push(line) });
  bridge = await startRedisBridge({ redisUrl: redis.url, token: "degraded", port: 0 });
  // Fan-out that fails while Redis is away is retried for ~15 s here (20 retries, up to 1 s apart).
  const signed = await startSignedOrchestrator({ retryBaseMs: 10, retryMaxMs: 1_000 });
  orchestrator = signed.orchestrator;
  pointInngestAt(signed.env);
  Object.assign(process.env, { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: "degraded", RATE_LIMIT_MULTIPLIER: "1" });
  resetEnvCache();
  route = await serveRoute((await import("@/app/api/inngest/route")) as RouteModule, "/api/inngest", signed.appPort);
  expect((await orchestrator.sync()).warnings).toEqual([]);
});

afterAll(async () => {
  // In case a test stopped it and failed; a server that is gone already needs nothing.
  if (redis?.pid) {
    try {
      process.kill(redis.pid, "SIGCONT");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
  process.env = saved;
  resetEnvCache();
  await route?.close();
  await orchestrator?.close();
  await bridge?.close();
  await redis?.stop();
});

async function settle(): Promise<void> {
  expect(await orchestrator.waitForIdle(60_000), "background work settled").toBe(true);
  expect(orchestrator.runs().filter((r) => r.status === "failed"), "failed Inngest runs").toEqual([]);
  expect(route.thrown).toEqual([]);
}

/** Reads until the breaker has let a trial through and closed again (it opens for a few seconds). */
async function untilRedisIsBack(reader: User): Promise<void> {
  await vi.waitFor(
    async () => {
      await getHomeFeed({ viewerId: reader.id, limit: 1 });
      expect(redisBreaker().state).toBe("closed");
    },
    { timeout: 20_000, interval: 250 },
  );
}

async function health() {
  const res = await healthRoute();
  return { status: res.status, body: (await res.json()) as { status: string; down: string[]; services: Record<string, { ok: boolean; circuit?: string }> } };
}

/** How many of `max` attempts the limiter lets through before its first refusal. */
async function attemptsAllowed(name: RateLimitName, identifier: string, max: number): Promise<number> {
  for (let allowed = 0; allowed < max; allowed++) {
    const refused = await enforceRateLimit(name, identifier).then(
      () => false,
      (error: unknown) => {
        if (error instanceof RateLimitError) return true;
        throw error;
      },
    );
    if (refused) return allowed;
  }
  return max;
}

/** A whole feed through the cursor, starting from `cursor`. */
async function readFrom(userId: string, cursor: string | null, limit: number): Promise<string[]> {
  const ids: string[] = [];
  while (cursor) {
    const page = await getHomeFeed({ viewerId: userId, cursor, limit });
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  }
  return ids;
}

describe("a Redis outage", () => {
  let reader: User, author: User, other: User, star: User;

  beforeAll(async () => {
    [reader, author, other] = (await makeUsers(3, "dg")) as [User, User, User];
    star = await makeUser({ username: `dgstar_${suffix()}`, isSuperstar: true });
    for (const followee of [author, star]) await followUser({ followerId: reader.id, username: followee.username });
    const base = Date.now() - 3_600_000;
    // Ties on purpose (two posts per millisecond), and a superstar's outbox to merge.
    await insertPosts(author.id, Array.from({ length: 24 }, (_, i) => ({ createdAt: new Date(base + Math.floor(i / 2)) })));
    await insertPosts(star.id, Array.from({ length: 6 }, (_, i) => ({ createdAt: new Date(base + 3 * i) })));
    await insertPosts(other.id, Array.from({ length: 5 }, (_, i) => ({ createdAt: new Date(base + 5 * i + 1) })));
    await settle();
  });

  it("stopped (SIGSTOP): feeds come from Postgres with the same cursors, writes work, limits limit, health is degraded", { timeout: 60_000 }, async () => {
    const truth = await groundTruth(reader.id);
    expect(truth).toHaveLength(30);
    const first = await getHomeFeed({ viewerId: reader.id, limit: 7 });
    expect(first.items.map((i) => i.id)).toEqual(truth.slice(0, 7));
    expect((await readTimeline({ userId: reader.id, limit: 1 })).state).toBe("cached");
    const login = `${suffix()}@example.com|${uniqueIp()}`;
    for (let i = 0; i < 6; i++) await enforceRateLimit("login", login); // counted in Redis (and in process)
    expect((await health()).body.status).toBe("ok");
    const epochBefore = Number(await getRedis().get(redisKey("vw", "superstars")));

    process.kill(redis.pid!, "SIGSTOP");
    try {
      // Page 2 on, from a cursor Redis mode handed out: no repeat, no skip.
      const rest = await readFrom(reader.id, first.nextCursor, 7);
      expect([...first.items.map((i) => i.id), ...rest]).toEqual(truth);
      // One read paid the timeout; it opened the breaker, so the rest did not wait.
      expect(redisBreaker().state).toBe("open");
      expect(redisBreaker().lastError).toMatch(/timed out/);
      expect(await readWholeFeed(reader.id, 4)).toEqual(truth);

      // Posts, follows and likes keep working.
      const newest = first.items[0]!;
      const posted = await createPost({ authorId: author.id, content: "written while Redis is stopped" });
      await followUser({ followerId: reader.id, username: other.username });
      expect((await likePost({ userId: reader.id, postId: posted.id })).likeCount).toBe(1);
      const now = await groundTruth(reader.id);
      expect(now).toHaveLength(36);
      expect(await readWholeFeed(reader.id, 5)).toEqual(now);
      // The "new posts" count above the newest shown: the one just written and the new followee's newer ones.
      expect(now.indexOf(newest.id)).toBe(3);
      expect(await countNewerPosts({ viewerId: reader.id, since: encodeCursor(positionOf(newest)) })).toBe(3);

      // Rate limits: in process, same rules. Login's earlier count carries over: 4 more of
      // its 10. One more gets through if a fixed window ends in between (the sliding window
      // weighs the previous window's count by the overlap, rounded down), never two.
      expect(await attemptsAllowed("login", login, 6)).toBeOneOf([4, 5]);
      expect(await attemptsAllowed("register", uniqueIp(), 12)).toBeOneOf([10, 11]);

      const { status, body } = await health();
      expect(status).toBe(200);
      expect(body.status).toBe("degraded");
      expect(body.down).toEqual(["redis"]);
      expect(body.services.redis!.circuit).not.toBe("closed");
    } finally {
      process.kill(redis.pid!, "SIGCONT");
    }

    await untilRedisIsBack(reader);
    // The reader views cached before the outage are stale now: the follow made meanwhile
    // could not bump its reader's stamps (lib/feed/reader-view.ts).
    await vi.waitFor(async () => expect(Number(await getRedis().get(redisKey("vw", "superstars")))).toBeGreaterThan(epochBefore));
    // What fan-out could not deliver meanwhile was retried: the cached timeline is whole.
    await settle();
    expect(await readWholeFeed(reader.id, 6)).toEqual(await groundTruth(reader.id));
    expect((await readTimeline({ userId: reader.id, limit: 1 })).state).toBe("cached");
    expect((await health()).body.status).toBe("ok");
  });

  it("pages switching between Redis and Postgres on every page neither repeat nor skip, whatever the page size", async () => {
    const truth = await groundTruth(reader.id);
    const breaker = redisBreaker();
    for (const limit of [1, 2, 3, 5, 8]) {
      for (const startOnRedis of [true, false]) {
        const ids: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 100; page++) {
          // As an outage starts or ends between two page reads: the breaker decides the path.
          if ((page % 2 === 0) === startOnRedis) breaker.succeeded();
          else breaker.failed("an outage, for this test", { severe: true });
          const result = await getHomeFeed({ viewerId: reader.id, cursor, limit });
          ids.push(...result.items.map((i) => i.id));
          if (!result.nextCursor) break;
          expect(result.items).toHaveLength(limit);
          cursor = result.nextCursor;
        }
        expect(ids, `limit ${limit}, first page from ${startOnRedis ? "Redis" : "Postgres"}`).toEqual(truth);
      }
    }
    breaker.succeeded();
  });

  it("killed (SIGKILL): the supervisor restarts it empty on the same port, and timelines are rebuilt", { timeout: 60_000 }, async () => {
    const before = redis.pid!;
    const truth = await groundTruth(reader.id);
    const first = await getHomeFeed({ viewerId: reader.id, limit: 5 });
    expect((await readTimeline({ userId: reader.id, limit: 1 })).state).toBe("cached");

    process.kill(before, "SIGKILL");
    // While it is gone (or not yet reconnected to), reads continue from the same cursor.
    expect([...first.items.map((i) => i.id), ...(await readFrom(reader.id, first.nextCursor, 5))]).toEqual(truth);

    await vi.waitFor(() => expect(redis.pid).not.toBe(before), { timeout: 15_000, interval: 100 });
    expect(supervisorLog.some((line) => /restarted on port/.test(line))).toBe(true);
    await untilRedisIsBack(reader);
    // Back, and empty: the next read rebuilds the timeline from Postgres.
    expect(await readWholeFeed(reader.id, 7)).toEqual(truth);
    expect((await readTimeline({ userId: reader.id, limit: 1 })).state).toBe("cached");
    // Rate limits run in Redis again (their scripts are loaded anew).
    await enforceRateLimit("post", `dg-${suffix()}`);
    expect(redisBreaker().state).toBe("closed");
  });
});
