// Model-based test of live sessions and the Live feed: random hosts and viewers, follows
// and unfollows, schedule / start / end / cancel transitions (and refused ones), Redis
// flushes and expiries of host sets, replay queues and snapshots, interleaved with paging
// sessions (several operations at once, the background functions running meanwhile).
// Every paging session that runs to its end must list exactly what SQL says the viewer's
// followed hosts' sessions were at its moment M: each once, in the contract's order, with
// the status and times of M — even though sessions start, end and are cancelled between
// its pages. A small cap makes replay reads cross from Redis into Postgres.
//
// Ground truth uses the viewer's follows at the end of the paging session: while a viewer
// has a paging session open, the test does not change whom they follow (others' follows
// change freely). A first page is read after the background work has settled, with no
// operation in flight, as the feed's caches then reflect every committed change; later
// pages race everything.
//
// `npm test` runs a fixed seed. A longer run by hand:
//   LIVE_MODEL_SEED=7 LIVE_MODEL_STEPS=3000 npx vitest run tests/live/model.test.ts
import { expect, it, vi } from "vitest";
import type { User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { decodeLiveCursor } from "@/lib/live/cursor";
import type { LiveSessionDto } from "@/lib/live/dto";
import { readLiveFeed } from "@/lib/live/feed";
import { deleteHostSet } from "@/lib/live/host-store";
import { deleteReplayQueue } from "@/lib/live/replay-store";
import { cancelSession, endSession, scheduleSession, startSession } from "@/lib/live/state";
import { getRedis, redisKey } from "@/lib/redis";
import { makeUsers } from "../support/fixtures";
import { shown, truthAt } from "./support/truth";
import { prng } from "../support/prng";
import { feedEngineForFile, flushRedisPrefix, withEnv } from "../feed/support/engine";

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: vi.fn() }));

const SEED = Number(process.env.LIVE_MODEL_SEED ?? 20261124);
const STEPS = Number(process.env.LIVE_MODEL_STEPS ?? 200);
const USERS = Number(process.env.LIVE_MODEL_USERS ?? 7);


type Op =
  | "schedule" | "start" | "end" | "cancel" | "refused" | "follow" | "unfollow"
  | "flush" | "expire-host" | "expire-queue" | "expire-snapshot" | "open" | "page" | "settle";
const WEIGHTS: Array<[Op, number]> = [
  ["schedule", 14], ["start", 12], ["end", 9], ["cancel", 3], ["refused", 4], ["follow", 5], ["unfollow", 3],
  ["flush", 1], ["expire-host", 3], ["expire-queue", 3], ["expire-snapshot", 3], ["open", 10], ["page", 40], ["settle", 2],
];

interface Session {
  id: string;
  hostId: string;
  state: "upcoming" | "live" | "ended" | "cancelled";
}

interface Paging {
  limit: number;
  moment: number;
  cursor: string | null;
  items: LiveSessionDto[];
  /** Its snapshot was deleted or Redis flushed since it opened: a 410 is then allowed. */
  mayExpire: boolean;
  /** Transitions that happened after its first page. */
  changes: number;
}

const engine = feedEngineForFile();

it(`Live feed paging sessions equal the SQL ground truth at their moment (seed ${SEED}, ${STEPS} steps)`, { timeout: Math.max(120_000, STEPS * 300) }, async () => {
  const prefix = `${process.env.REDIS_KEY_PREFIX ?? ""}live${SEED}:`;
  await withEnv({ REDIS_KEY_PREFIX: prefix, TIMELINE_CAP: "4", RATE_LIMIT_MULTIPLIER: "1000" }, async () => {
    const rnd = prng(SEED);
    const users: User[] = await makeUsers(USERS, "lm");
    // A dense start, so that feeds have several hosts each.
    for (const a of users) for (const b of users) if (a.id !== b.id && rnd.next() < 0.6) await followUser({ followerId: a.id, username: b.username });
    const sessions: Session[] = [];
    const busy = new Set<string>(); // sessions with a transition in flight
    const reading = new Set<string>(); // viewers with a page read in flight
    const paging = new Map<string, Paging>();
    const log: string[] = [];
    const stats = { raced: 0, checked: 0, pages: 0, expired: 0, refused: 0, maxItems: 0 };
    const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
    const chooseOp = (): Op => {
      let r = rnd.next() * total;
      for (const [op, w] of WEIGHTS) if ((r -= w) < 0) return op;
      return "page";
    };
    const pickSession = (state: Session["state"]) => {
      const candidates = sessions.filter((s) => s.state === state && !busy.has(s.id));
      return candidates.length > 0 ? rnd.pick(candidates) : undefined;
    };
    const transition = async (s: Session, work: () => Promise<unknown>, to: Session["state"]) => {
      busy.add(s.id);
      try {
        await work();
        s.state = to;
        for (const p of paging.values()) p.changes += 1;
      } finally {
        busy.delete(s.id);
      }
    };

    const finishPaging = async (viewer: User, p: Paging) => {
      paging.delete(viewer.id);
      const truth = await truthAt(viewer.id, p.moment);
      const got = p.items.map(shown);
      expect(new Set(p.items.map((s) => s.id)).size, "a session appeared twice").toBe(p.items.length);
      expect(got, `Live feed of ${viewer.username} at ${p.moment} (page size ${p.limit}) after: ${log.slice(-15).join(", ")}`).toEqual(truth);
      stats.checked += 1;
      if (p.changes > 0 && got.length > p.limit) stats.raced += 1;
      stats.maxItems = Math.max(stats.maxItems, got.length);
    };

    const readPage = async (viewer: User, p: Paging) => {
      let page;
      try {
        page = await readLiveFeed({ viewerId: viewer.id, cursor: p.cursor ?? undefined, limit: p.limit });
      } catch (error) {
        if (error instanceof AppError && error.status === 410) {
          expect(p.mayExpire, "410 for a snapshot nobody deleted").toBe(true);
          expect(error.code).toBe("cursor_expired");
          paging.delete(viewer.id);
          stats.expired += 1;
          return;
        }
        throw error;
      }
      stats.pages += 1;
      expect(page.moment).toBe(p.moment);
      expect(page.items.length).toBeLessThanOrEqual(p.limit);
      if (page.nextCursor !== null) expect(page.items, "only the last page may be short").toHaveLength(p.limit);
      p.items.push(...page.items);
      p.cursor = page.nextCursor;
      if (p.cursor === null) await finishPaging(viewer, p);
    };

    const open = async (viewer: User) => {
      await engine.settle();
      // Mostly small pages (many page boundaries), sometimes larger ones (long feeds end sooner).
      const limit = rnd.next() < 0.7 ? 1 + rnd.int(3) : 5 + rnd.int(16);
      const page = await readLiveFeed({ viewerId: viewer.id, limit });
      stats.pages += 1;
      if (page.nextCursor !== null) expect(page.items).toHaveLength(limit);
      const p: Paging = { limit, moment: page.moment, cursor: page.nextCursor, items: [...page.items], mayExpire: false, changes: 0 };
      paging.set(viewer.id, p);
      if (p.cursor === null) await finishPaging(viewer, p);
    };

    const run = async (op: Op): Promise<void> => {
      const u = rnd.pick(users);
      const v = rnd.pick(users);
      switch (op) {
        case "schedule": {
          // Whole minutes, so that scheduled starts often tie and the id decides.
          const at = new Date((Math.floor(Date.now() / 60_000) + 2 + rnd.int(30)) * 60_000).toISOString();
          const created = await scheduleSession({ hostId: u.id, title: `${u.username} ${rnd.int(1000)}`, scheduledAt: at });
          sessions.push({ id: created.id, hostId: u.id, state: "upcoming" });
          return;
        }
        case "start": {
          const s = pickSession("upcoming");
          if (s) await transition(s, () => startSession({ sessionId: s.id, userId: s.hostId }), "live");
          return;
        }
        case "end": {
          const s = pickSession("live");
          if (s) await transition(s, () => endSession({ sessionId: s.id, userId: s.hostId }), "ended");
          return;
        }
        case "cancel": {
          const s = pickSession("upcoming");
          if (s) await transition(s, () => cancelSession({ sessionId: s.id, userId: s.hostId }), "cancelled");
          return;
        }
        case "refused": {
          const idle = sessions.filter((s) => !busy.has(s.id));
          if (idle.length === 0) return;
          const s = rnd.pick(idle);
          busy.add(s.id);
          try {
            const byHost = rnd.next() < 0.7 || u.id === s.hostId;
            const userId = byHost ? s.hostId : u.id;
            const valid: Record<Session["state"], string[]> = { upcoming: ["start", "cancel"], live: ["end"], ended: [], cancelled: [] };
            const options = (["start", "end", "cancel"] as const).filter((k) => !byHost || !valid[s.state].includes(k));
            if (options.length === 0) return;
            const kind = rnd.pick(options);
            const act = { start: startSession, end: endSession, cancel: cancelSession }[kind];
            const expected = s.state === "cancelled" ? 404 : !byHost ? 403 : 409;
            const error = await act({ sessionId: s.id, userId }).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error, `${kind} of a ${s.state} session by ${byHost ? "its host" : "someone else"}`).toBeInstanceOf(AppError);
            expect((error as AppError).status).toBe(expected);
            if (expected === 409) expect((error as AppError).code).toBe("invalid_state");
            stats.refused += 1;
          } finally {
            busy.delete(s.id);
          }
          return;
        }
        case "follow":
          if (u.id !== v.id && !paging.has(u.id)) await followUser({ followerId: u.id, username: v.username });
          return;
        case "unfollow":
          if (!paging.has(u.id)) await unfollowUser({ followerId: u.id, username: v.username });
          return;
        case "flush":
          for (const p of paging.values()) p.mayExpire = true;
          await flushRedisPrefix(prefix);
          return;
        case "expire-host":
          await deleteHostSet(u.id);
          return;
        case "expire-queue":
          await deleteReplayQueue(u.id);
          return;
        case "expire-snapshot": {
          const p = paging.get(u.id);
          const c = p?.cursor ? decodeLiveCursor(p.cursor) : undefined;
          if (p && c?.phase === "snapshot") {
            p.mayExpire = true;
            await getRedis().del(redisKey("lsnap", c.snapshotId));
          }
          return;
        }
        case "page": {
          // One page read per paging session at a time, as a client reads.
          const idle = [...paging.keys()].filter((id) => !reading.has(id));
          if (idle.length === 0) return;
          const viewerId = rnd.pick(idle);
          reading.add(viewerId);
          try {
            await readPage(users.find((x) => x.id === viewerId)!, paging.get(viewerId)!);
          } finally {
            reading.delete(viewerId);
          }
          return;
        }
        case "settle":
          await engine.settle();
          return;
        case "open":
          // Run alone (see run loop).
          return;
      }
    };

    for (let step = 0; step < STEPS; ) {
      const group = Array.from({ length: 1 + rnd.int(3) }, () => chooseOp());
      if (group.includes("open")) {
        const free = users.filter((x) => !paging.has(x.id));
        log.push("open");
        if (free.length > 0) await open(rnd.pick(free));
        step += 1;
        continue;
      }
      log.push(group.join("+"));
      await Promise.all(group.map(run));
      step += group.length;
    }
    // Read every open paging session to its end.
    for (const [viewerId, p] of [...paging]) {
      const viewer = users.find((x) => x.id === viewerId)!;
      while (paging.has(viewerId)) await readPage(viewer, p);
    }
    await engine.settle();
    console.log(`live model seed ${SEED}: ${STEPS} steps, ${sessions.length} sessions, ${stats.checked} paging sessions checked (${stats.raced} of them with transitions between their pages; ${stats.pages} pages, longest ${stats.maxItems} items), ${stats.expired} expired, ${stats.refused} refused transitions`);
    expect(stats.checked).toBeGreaterThan(Math.min(10, STEPS / 40));
    expect(stats.maxItems).toBeGreaterThan(3);
    expect(stats.raced).toBeGreaterThan(0);
  });
});
