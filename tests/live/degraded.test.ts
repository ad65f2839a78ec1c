// The Live feed while Redis is out: its snapshot cannot be stored or loaded, yet every page
// answers, from Postgres, with the contract's semantics (one moment M per paging session,
// each session once, live then upcoming then replays). Redis is taken out two ways: an
// endpoint whose breaker is held open (as after a timeout: calls fail at once), and one
// that refuses connections (calls fail one by one until the breaker opens); and cursors
// cross between Redis and Postgres in both directions within a paging session.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db";
import type { User } from "@/db/schema";
import { GET as feedRoute } from "@/app/api/v1/feed/live/route";
import { resetEnvCache } from "@/lib/env";
import { followUser } from "@/lib/follows/follow";
import { decodeLiveCursor } from "@/lib/live/cursor";
import type { LiveSessionDto } from "@/lib/live/dto";
import { readLiveFeed, type LiveFeedPage } from "@/lib/live/feed";
import { deleteHostSet, ensureHostSets } from "@/lib/live/host-store";
import { deleteReplayQueue } from "@/lib/live/replay-store";
import { cancelSession, endSession, scheduleSession, startSession } from "@/lib/live/state";
import { redisBreaker } from "@/lib/redis";
import { freePort } from "@/scripts/local/problems";
import { apiRequest, makeUsers, readJson, routeParams } from "../support/fixtures";
import { logInAs } from "../support/session";
import { shown, truthAt } from "./support/truth";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

process.env.RATE_LIMIT_MULTIPLIER = "1000";
afterAll(closeDb);

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

const redisUrl = process.env.UPSTASH_REDIS_REST_URL!;
let deadUrl = "";
beforeAll(async () => {
  deadUrl = `http://127.0.0.1:${await freePort()}`;
});

function pointRedisAt(url: string): void {
  if (process.env.UPSTASH_REDIS_REST_URL === url) return;
  process.env.UPSTASH_REDIS_REST_URL = url;
  resetEnvCache(); // the next call makes a client for it, with a breaker of its own
}

/**
 * As after a timeout: the breaker open, so every Redis call fails at once. (Its endpoint
 * is one where nothing listens: a call still under way on the real one could otherwise
 * succeed meanwhile and close it.)
 */
function redisOut(): void {
  pointRedisAt(deadUrl);
  redisBreaker().failed("an outage, for this test", { severe: true });
}

/** Redis back: the real endpoint again, its breaker closed. */
const redisBack = () => pointRedisAt(redisUrl);
// A test that failed with Redis out must not fail the next one: each starts with it back.
beforeEach(redisBack);
afterAll(redisBack);

interface Paging {
  moment: number;
  items: LiveSessionDto[];
  cursors: string[];
}

describe("the Live feed with Redis out", () => {
  let hosts: User[];
  let viewer: User;
  const live: Array<{ id: string; hostId: string }> = [];
  const upcoming: Array<{ id: string; hostId: string }> = [];

  async function schedule(host: User, minutes: number): Promise<void> {
    const s = await scheduleSession({ hostId: host.id, title: `${host.username} in ${minutes}`, scheduledAt: inMinutes(minutes) });
    upcoming.push({ id: s.id, hostId: host.id });
  }

  async function start(): Promise<void> {
    const s = upcoming.shift()!;
    await startSession({ sessionId: s.id, userId: s.hostId });
    live.push(s);
  }

  async function end(): Promise<void> {
    const s = live.shift()!;
    await endSession({ sessionId: s.id, userId: s.hostId });
  }

  beforeAll(async () => {
    hosts = await makeUsers(3, "ld");
    viewer = (await makeUsers(1, "ldv"))[0]!;
    for (const host of hosts) await followUser({ followerId: viewer.id, username: host.username });
    // Per host: upcoming sessions (some at the same minute, so the id breaks ties), three
    // of them started, one of those ended: 6 live, 9 upcoming and 3 replays in all.
    for (const host of hosts) for (const minutes of [10, 20, 20, 30, 40, 50]) await schedule(host, minutes);
    for (let i = 0; i < 9; i++) await start();
    for (let i = 0; i < 3; i++) await end();
  });

  /**
   * A whole paging session; `before(page, paging)` runs before each page is read (page 0 is the
   * first). The replay queue is dropped first: this file runs no background fan-out, so a
   * queue would miss the sessions that ended in earlier tests.
   */
  async function pageThrough(limit: number, before: (page: number, paging: Paging) => Promise<void> | void): Promise<Paging> {
    redisBack();
    await deleteReplayQueue(viewer.id);
    const paging: Paging = { moment: 0, items: [], cursors: [] };
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      await before(page, paging);
      const result: LiveFeedPage = await readLiveFeed({ viewerId: viewer.id, cursor, limit });
      if (page === 0) paging.moment = result.moment;
      expect(result.moment).toBe(paging.moment);
      paging.items.push(...result.items);
      if (!result.nextCursor) break;
      expect(result.items, "only the last page may be short").toHaveLength(limit);
      paging.cursors.push(result.nextCursor);
      cursor = result.nextCursor;
    }
    redisBack();
    return paging;
  }

  async function expectTruth(paging: Paging, what: string): Promise<void> {
    expect(paging.items.map(shown), what).toEqual(await truthAt(viewer.id, paging.moment));
  }

  it("serves every page from Postgres while the breaker is open, whatever the page size", async () => {
    for (const limit of [1, 2, 4, 7, 20]) {
      const paging = await pageThrough(limit, redisOut);
      await expectTruth(paging, `limit ${limit}`);
      expect(paging.items.length).toBe(18);
      // Nothing could be stored: every snapshot page is recomputed from its cursor.
      for (const cursor of paging.cursors) expect(decodeLiveCursor(cursor)!.phase).not.toBe("snapshot");
    }
  });

  it("answers 200, not 503, on every page when Redis refuses connections", async () => {
    logInAs(viewer);
    await deleteReplayQueue(viewer.id);
    try {
      for (const limit of [2, 5]) {
        // Nothing listens there: each call fails on its own (refused) until the breaker
        // opens, so the first page meets failing calls, not just an open breaker. (A new
        // endpoint has a breaker of its own, closed.)
        pointRedisAt(`http://127.0.0.1:${await freePort()}`);
        const items: LiveSessionDto[] = [];
        let query = `?limit=${limit}`;
        for (let page = 0; page < 50; page++) {
          const res = await feedRoute(apiRequest("GET", `/api/v1/feed/live${query}`), routeParams({}));
          const { status, body } = await readJson<{ items: LiveSessionDto[]; nextCursor: string | null }>(res);
          expect(status, `page ${page + 1} at limit ${limit}`).toBe(200);
          items.push(...body.items);
          if (!body.nextCursor) break;
          query = `?limit=${limit}&cursor=${body.nextCursor}`;
        }
        expect(redisBreaker().state).not.toBe("closed");
        // Nothing changed since the first page, so its moment's truth is now's.
        expect(items.map(shown), `limit ${limit}`).toEqual(await truthAt(viewer.id, Date.now()));
      }
    } finally {
      redisBack();
      logInAs(null);
    }
  });

  it("continues across Redis going and coming back on every page, with transitions between pages", async () => {
    for (const limit of [1, 2, 3, 5]) {
      for (const startOnRedis of [true, false]) {
        const paging = await pageThrough(limit, async (page) => {
          // Sessions start and end between pages (with Redis up, as their host sets then
          // learn of it at once): the paging session keeps showing them as they were at M.
          redisBack();
          if (page > 0 && page % 2 === 1) {
            await schedule(hosts[page % 3]!, 5 + page);
            await start();
            await end();
          }
          if ((page % 2 === 0) === startOnRedis) redisBack();
          else redisOut();
        });
        await expectTruth(paging, `limit ${limit}, first page from ${startOnRedis ? "Redis" : "Postgres"}`);
        expect(paging.items.filter((s) => s.status !== "ended").length).toBeGreaterThan(limit);
      }
    }
  });

  it("keeps a cursor made while Redis was out working once it is back, stored from then on", async () => {
    let ended = "";
    const paging = await pageThrough(2, async (page, { items }) => {
      if (page === 0) return redisOut();
      redisBack();
      if (page !== 1) return;
      // Sessions not shown yet, on two hosts. One is cancelled after M: at M it was
      // upcoming, so this paging session still shows it; back in Redis, its host's set
      // remembers it (a tombstone). The other ends after M, and its host's set expires and
      // is rebuilt without it: Postgres still knows it was live at M.
      const notShown = (s: { id: string }) => !items.some((i) => i.id === s.id);
      const live0 = live.find(notShown)!;
      const cancelled = upcoming.findLast((s) => notShown(s) && s.hostId !== live0.hostId)!;
      upcoming.splice(upcoming.indexOf(cancelled), 1);
      await cancelSession({ sessionId: cancelled.id, userId: cancelled.hostId });
      live.splice(live.indexOf(live0), 1);
      await endSession({ sessionId: live0.id, userId: live0.hostId });
      await deleteHostSet(live0.hostId);
      await ensureHostSets([live0.hostId]);
      ended = live0.id;
    });
    await expectTruth(paging, "out, then back");
    expect(paging.items.find((s) => s.id === ended)?.status).toBe("live");
    const [first, second] = paging.cursors.map((c) => decodeLiveCursor(c)!.phase);
    expect(first).toBe("recompute");
    expect(second).toBe("snapshot"); // what remained was stored once Redis was back
  });
  it("shows a session cancelled after M as upcoming while Redis stays out, its host's set gone too", async () => {
    let cancelledId = "";
    const paging = await pageThrough(2, async (page, { items }) => {
      redisBack();
      if (page === 1) {
        // Cancelled after M, and its host's set dropped: only Postgres can say it was upcoming at M.
        const notShown = (s: { id: string }) => !items.some((i) => i.id === s.id);
        const cancelled = upcoming.findLast(notShown)!;
        upcoming.splice(upcoming.indexOf(cancelled), 1);
        await cancelSession({ sessionId: cancelled.id, userId: cancelled.hostId });
        await deleteHostSet(cancelled.hostId);
        cancelledId = cancelled.id;
      }
      redisOut();
    });
    await expectTruth(paging, "out throughout, a cancellation after M");
    expect(paging.items.find((s) => s.id === cancelledId)?.status).toBe("upcoming");
  });
});
