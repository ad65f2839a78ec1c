// The faults, each injected and healed while the workload runs through it. What clients
// saw is recorded by the phase's recorder; what was left wrong is checked afterwards
// (phase.ts). Anything the app should have done by itself and did not (Redis not
// restarted) is noted, done by the suite instead, and the run carries on.
import type { AppUnderTest, Ports } from "./app";
import { call, type Client } from "./http";
import type { Ledger } from "./ledger";
import { post, type Member } from "./ops";
import { restartPostgres } from "./postgres-control";
import type { SecondInstance } from "./second-instance";
import { dropNewestEntry, findRedisPid, flushRedis, pingRedis, signalRedis, startOwnRedis, stopRedisOnPort, type OwnRedis } from "./redis-control";
import type { Rng } from "./rng";
import { burst, startTraffic } from "./workload";

export interface FaultContext {
  app: AppUnderTest;
  ports: Ports;
  root: string;
  /** Redis is the suite's, given to the app as REDIS_URL: it outlives the launcher. */
  externalRedis: boolean;
  work: { client: Client; ledger: Ledger; rng: Rng };
  members: Member[];
  workers: number;
  /** Shorter holds (the quick variant). */
  quick: boolean;
  /** A redis-server the suite had to start itself; stopped before the launcher starts again. */
  own: { redis?: OwnRedis };
  /** `--instances 2`: the second app instance, restarted whenever the launcher is. */
  second?: SecondInstance;
  note(line: string): void;
}

export interface Fault {
  key: string;
  title: string;
  inject(ctx: FaultContext): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs `body` with the workload's traffic going on around it, `afterMs` more after it. */
async function withTraffic(ctx: FaultContext, body: () => Promise<void>, afterMs: number): Promise<void> {
  const traffic = startTraffic(ctx.work, ctx.members, { workers: ctx.workers, maxOps: 5_000 });
  try {
    await body();
    await sleep(afterMs);
  } finally {
    ctx.note(`${await traffic.stop()} operations during the phase`);
  }
}

export const FAULTS: Fault[] = [
  {
    key: "none",
    title: "no fault (baseline)",
    inject: (ctx) => withTraffic(ctx, () => sleep(ctx.quick ? 2_000 : 5_000), 0),
  },
  {
    key: "flush",
    title: "Redis flushed (FLUSHALL)",
    inject: (ctx) =>
      withTraffic(ctx, async () => {
        await sleep(2_000);
        await flushRedis(ctx.ports.redis);
      }, ctx.quick ? 3_000 : 5_000),
  },
  {
    key: "sigstop",
    title: "Redis stopped (SIGSTOP) and resumed",
    inject: (ctx) =>
      withTraffic(ctx, async () => {
        await sleep(2_000);
        const pid = signalRedis(ctx.ports.redis, "SIGSTOP");
        try {
          await sleep(ctx.quick ? 5_000 : 10_000);
        } finally {
          process.kill(pid, "SIGCONT");
        }
      }, 4_000),
  },
  {
    key: "sigkill",
    title: "Redis killed (SIGKILL)",
    inject: (ctx) =>
      withTraffic(ctx, async () => {
        await sleep(2_000);
        const killed = signalRedis(ctx.ports.redis, "SIGKILL");
        const started = Date.now();
        while (Date.now() - started < 15_000) {
          const pid = findRedisPid(ctx.ports.redis);
          if (pid && pid !== killed && (await pingRedis(ctx.ports.redis))) return ctx.note(`restarted by the launcher after ${seconds(started)}`);
          await sleep(250);
        }
        ctx.note(`nothing restarted Redis within 15 s${ctx.externalRedis ? " (expected: it is the suite's)" : ""}: the suite started one on the same port`);
        ctx.own.redis = await startOwnRedis(ctx.ports.redis);
      }, 4_000),
  },
  {
    key: "launcher",
    title: "launcher killed (SIGKILL) mid-fan-out, started again",
    inject: (ctx) =>
      withTraffic(ctx, async () => {
        await sleep(1_000);
        // A burst by the most followed members, so the kill lands while their fan-outs run.
        const authors = Array.from({ length: 30 }, (_, i) => ctx.members[i % 3]!);
        const acked = (await Promise.all(authors.map((m) => post(ctx.work.client, ctx.work.ledger, m)))).filter(Boolean).length;
        ctx.app.killLauncher();
        ctx.note(`${acked}/30 posts acknowledged, launcher killed right after`);
        await sleep(3_000);
        if (ctx.own.redis && !ctx.externalRedis) {
          // The launcher starts its own on this port: the one the suite started must go.
          await stopRedisOnPort(ctx.ports.redis);
          ctx.own.redis = undefined;
        }
        // The second instance rode out the outage (its Redis and Inngest went with the
        // launcher); the launcher's next start makes new tokens, which it cannot know: it
        // stops now and starts again with them (in production both would share one config).
        await ctx.second?.stop();
        const started = Date.now();
        try {
          await ctx.app.start(180_000);
        } catch (error) {
          ctx.note(`the next start failed: ${(error as Error).message.split("\n")[0]}; the suite cleaned up and started it again`);
          await ctx.app.reapLeftovers();
          await ctx.app.start(180_000);
        }
        ctx.note(`running again ${seconds(started)} after the restart began`);
        if (ctx.second) {
          await ctx.second.start();
          ctx.note(`second instance restarted with the new launcher's tokens ${seconds(started)} after the restart began`);
        }
      }, 4_000),
  },
  {
    key: "postgres",
    title: "Postgres restarted (pg_ctl -m fast restart)",
    inject: (ctx) =>
      withTraffic(ctx, async () => {
        await sleep(2_000);
        const result = await restartPostgres(ctx.root, ctx.app.pgDataDir);
        ctx.note(result.ok ? `pg_ctl restart took ${(result.ms / 1000).toFixed(1)} s` : `restart failed: ${result.detail}`);
        if (!result.ok) throw new Error(result.detail);
      }, 5_000),
  },
  {
    key: "burst",
    title: "burst: 200 concurrent posts and reads",
    inject: async (ctx) => {
      await burst(ctx.work, ctx.members, { posts: 100, reads: 100 });
    },
  },
  {
    // Not a fault but a proof that the check can fail: run with --only=tamper, expect FAIL.
    key: "tamper",
    title: "self-test: an entry removed from a timeline behind the app's back",
    inject: async (ctx) => {
      for (const member of ctx.members) await readFeedOnce(ctx, member); // every timeline is built
      const victim = ctx.members.find((m) => ctx.work.ledger.followees(m.id).length > 0) ?? ctx.members[0]!;
      const id = await dropNewestEntry(ctx.ports.redis, victim.id);
      ctx.note(id ? `removed post ${Number(id)} from ${victim.username}'s timeline` : "found no timeline entry to remove");
    },
  },
];

async function readFeedOnce(ctx: FaultContext, member: Member): Promise<void> {
  await call(ctx.work.client, { kind: "feed", path: "/api/v1/feed?limit=1", cookie: member.cookie });
}

export const DEFAULT_FAULTS = ["none", "flush", "sigstop", "sigkill", "launcher", "postgres", "burst"];
export const QUICK_FAULTS = ["none", "flush", "sigstop"];
