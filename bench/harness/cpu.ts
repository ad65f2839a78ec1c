// What a request costs, by role: CPU time of each process of the stack (utime + stime from
// /proc/<pid>/stat), Redis commands and bytes (INFO on the harness's redis-server) and
// Postgres transactions (pg_stat_database), sampled once before and once after a measured
// load, never during one, and divided by the requests it completed. Linux only: elsewhere
// the CPU figures are null. docs/capacity.md turns these figures into machines.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { round } from "./load";
import type { CostRole, PgCost, WorkCost } from "./results";

export const COST_ROLES: readonly CostRole[] = ["next", "launcher", "postgres", "redis", "loadgen"];

/**
 * Postgres backends publish their transaction counts lazily: at most once a second while
 * busy, and 10 s (PGSTAT_IDLE_INTERVAL) after going idle. A count read right after a load
 * misses up to a second of it, so Postgres figures are read after this wait.
 */
export const PG_STATS_SETTLE_MS = 11_000;
export const waitForPgStats = () => new Promise<void>((resolve) => setTimeout(resolve, PG_STATS_SETTLE_MS));

/** The processes whose CPU is counted; any may be absent (a remote Postgres). */
export interface StackPids {
  /** The app's launcher (scripts/start.ts under tsx): the REST bridge, the orchestrator, and Next.js below it. */
  launcher?: number;
  redis?: number;
  postmaster?: number;
  /** The bench process itself: the load generator. */
  loadgen: number;
}

interface RedisCounters {
  calls: Map<string, number>;
  bytesIn: number;
  bytesOut: number;
  /** What this INFO itself sent and received: counted by the next sample, not the load's. */
  own: { bytesIn: number; bytesOut: number };
}

const INFO_ARGS = ["commandstats", "stats"];
/** INFO commandstats stats in RESP: *3 $4 INFO $12 commandstats $5 stats. */
const INFO_REQUEST_BYTES = ["INFO", ...INFO_ARGS].reduce((n, arg) => n + `$${arg.length}\r\n${arg}\r\n`.length, "*3\r\n".length);

export interface CostSample {
  atMs: number;
  /** Clock ticks by role; null where the role's processes were not found. */
  ticks: Record<CostRole, number | null>;
  redis: RedisCounters | null;
}

export interface CostProbe {
  pids: StackPids;
  sample(): Promise<CostSample>;
  /** Committed + rolled-back transactions of the database so far (as published: see PG_STATS_SETTLE_MS). */
  pgXacts(): Promise<number | null>;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

interface ProcStat {
  ppid: number;
  /** Own CPU ticks (utime + stime). */
  own: number;
  /** Ticks of children that exited and were waited for (cutime + cstime). */
  reaped: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name, in parentheses, may hold spaces: fields are counted after its end.
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), own: Number(rest[11]) + Number(rest[12]), reaped: Number(rest[13]) + Number(rest[14]) };
  } catch {
    return undefined;
  }
}

function readAllStats(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return stats;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.set(Number(name), stat);
  }
  return stats;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** pid and every process below it. */
function subtree(root: number, stats: Map<number, ProcStat>): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  const out = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (!stats.has(pid) || out.has(pid)) continue;
    out.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

// Next.js renames its process ("next-server (v16…)"); before that its command line names the bin.
const isNext = (pid: number) => /^next-server\b|next[\\/]dist[\\/]bin[\\/]next/.test(cmdline(pid));

/**
 * CPU ticks by role. A process's own ticks plus those of its children that exited and were
 * reaped (a Postgres backend that closed mid-load lands in the postmaster's); the bench
 * process counts only its own (the app and the stores are its children too).
 */
function cpuTicks(pids: StackPids): Record<CostRole, number | null> {
  const stats = readAllStats();
  const sum = (set: Iterable<number>) => {
    let total = 0;
    for (const pid of set) {
      const s = stats.get(pid);
      if (s) total += s.own + s.reaped;
    }
    return total;
  };
  let next: number | null = null;
  let launcher: number | null = null;
  if (pids.launcher && stats.has(pids.launcher)) {
    const tree = subtree(pids.launcher, stats);
    const nextTree = new Set<number>();
    for (const pid of tree) if (!nextTree.has(pid) && isNext(pid)) for (const p of subtree(pid, stats)) nextTree.add(p);
    next = sum(nextTree);
    launcher = sum([...tree].filter((pid) => !nextTree.has(pid)));
  }
  const tree = (pid: number | undefined) => (pid && stats.has(pid) ? sum(subtree(pid, stats)) : null);
  const own = stats.get(pids.loadgen)?.own;
  return { next, launcher, postgres: tree(pids.postmaster), redis: tree(pids.redis), loadgen: own ?? null };
}

/** INFO's sections as key → value lines. */
function infoFields(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split("\r\n")) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

async function redisCounters(redis: Redis): Promise<RedisCounters | null> {
  try {
    const info = await redis.info(...INFO_ARGS);
    const fields = infoFields(info);
    const replyBytes = Buffer.byteLength(info);
    const calls = new Map<string, number>();
    for (const [key, value] of fields) {
      if (!key.startsWith("cmdstat_")) continue;
      const n = /(?:^|,)calls=(\d+)/.exec(value);
      if (n) calls.set(key.slice("cmdstat_".length), Number(n[1]));
    }
    return {
      calls,
      bytesIn: Number(fields.get("total_net_input_bytes") ?? 0),
      bytesOut: Number(fields.get("total_net_output_bytes") ?? 0),
      own: { bytesIn: INFO_REQUEST_BYTES, bytesOut: replyBytes + `$${replyBytes}\r\n\r\n`.length },
    };
  } catch {
    return null;
  }
}

/** The pids of the stack, found once: the launcher's from the harness, Redis' from INFO, the postmaster as the parent of a backend. */
export async function createCostProbe(opts: { redis: Redis; sql: postgres.Sql; launcherPid?: number }): Promise<CostProbe> {
  const serverPid = async () => {
    try {
      const pid = Number(infoFields(await opts.redis.info("server")).get("process_id"));
      return readStat(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  const postmasterPid = async () => {
    try {
      const [row] = await opts.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const ppid = readStat(row!.pid)?.ppid;
      return ppid && readStat(ppid) ? ppid : undefined; // a remote server has no /proc entry here
    } catch {
      return undefined;
    }
  };
  const pids: StackPids = { launcher: opts.launcherPid, redis: await serverPid(), postmaster: await postmasterPid(), loadgen: process.pid };
  return {
    pids,
    async sample() {
      // Redis is read first, so the CPU read is not inside its window; the next sample
      // subtracts this INFO's own call and bytes (costBetween).
      const redis = await redisCounters(opts.redis);
      return { atMs: performance.now(), ticks: cpuTicks(pids), redis };
    },
    async pgXacts() {
      try {
        const [row] = await opts.sql<{ xacts: string }[]>`
          select (xact_commit + xact_rollback)::text as xacts from pg_stat_database where datname = current_database()`;
        return row ? Number(row.xacts) : null;
      } catch {
        return null;
      }
    },
  };
}

/** The work between two samples divided by `units` (requests completed, or fan-out deliveries). */
export function costBetween(before: CostSample, after: CostSample, units: number): WorkCost {
  const per = Math.max(1, units);
  const msPerTick = 1000 / ticksPerSecond();
  const cpuMs = Object.fromEntries(
    COST_ROLES.map((role) => {
      const [a, b] = [before.ticks[role], after.ticks[role]];
      return [role, a === null || b === null ? null : round(((b - a) * msPerTick) / per, 3)];
    }),
  ) as Record<CostRole, number | null>;
  let redis: WorkCost["redis"] = null;
  if (before.redis && after.redis) {
    const byCommand: Record<string, number> = {};
    let commands = 0;
    for (const [name, calls] of after.redis.calls) {
      const delta = calls - (before.redis.calls.get(name) ?? 0);
      if (delta <= 0) continue;
      commands += delta;
      byCommand[name] = round(delta / per, 3);
    }
    // The earlier sample's INFO is counted in the later one: not the load's.
    if (byCommand.info !== undefined) {
      commands -= 1;
      byCommand.info = round((byCommand.info * per - 1) / per, 3);
      if (byCommand.info <= 0) delete byCommand.info;
    }
    redis = {
      commands: round(commands / per, 3),
      bytesIn: round(Math.max(0, after.redis.bytesIn - before.redis.bytesIn - before.redis.own.bytesIn) / per, 1),
      bytesOut: round(Math.max(0, after.redis.bytesOut - before.redis.bytesOut - before.redis.own.bytesOut) / per, 1),
      byCommand: Object.fromEntries(Object.entries(byCommand).filter(([, n]) => n >= 0.001)),
    };
  }
  return { units, wallS: round((after.atMs - before.atMs) / 1000, 2), cpuMs, redis };
}

/** Runs one load with a sample on each side; the load's requests are the divisor. */
export async function costed<T extends { requests: number }>(probe: CostProbe, run: () => Promise<T>): Promise<T & { cost: WorkCost }> {
  const before = await probe.sample();
  const result = await run();
  const after = await probe.sample();
  return { ...result, cost: costBetween(before, after, result.requests) };
}

/**
 * Postgres transactions over a series of loads: `start()` before its first load, `end(units)`
 * after its last, which waits for the counts to be published first (PG_STATS_SETTLE_MS,
 * unless `settle` is false, e.g. in the smoke run: then the figure runs low by up to a
 * second of the load). The harness's own queries in between count too; keep it idle.
 */
export function pgCounter(probe: CostProbe, opts: { settle: boolean }) {
  let before: number | null = null;
  return {
    async start() {
      before = await probe.pgXacts();
    },
    async end(units: number): Promise<PgCost | undefined> {
      if (before === null) return undefined;
      if (opts.settle) await waitForPgStats();
      const after = await probe.pgXacts();
      if (after === null) return undefined;
      // Our own reading of the count is one transaction of the database.
      const xacts = Math.max(0, after - before - 1);
      return { xacts, units, perUnit: round(xacts / Math.max(1, units), 3), settled: opts.settle };
    },
  };
}

/**
 * For a scenario that is not a load run (the fan-out): `const meter = await startCostMeter(probe)`
 * before publishing, then `await meter.stop(deliveries)` once the work is done; the figures
 * are per delivery (multiply by 1,000 for per 1,000 deliveries). Everything the stack did in
 * between is counted, so nothing else may run meanwhile.
 */
export async function startCostMeter(probe: CostProbe, opts: { settlePg?: boolean } = {}) {
  const pg = pgCounter(probe, { settle: opts.settlePg ?? true });
  await pg.start();
  const before = await probe.sample();
  return {
    async stop(units: number): Promise<WorkCost> {
      const after = await probe.sample();
      const pgCost = await pg.end(units);
      return { ...costBetween(before, after, units), ...(pgCost ? { pg: pgCost } : {}) };
    },
  };
}

const probes = new WeakMap<object, Promise<CostProbe>>();
const noted = new Set<string>();

/** One probe per app started (its launcher's pid), shared by the scenarios that cost loads; what it cannot see is noted once. */
export function costProbeFor(ctx: { redis: Redis; sql: postgres.Sql; note(line: string): void }, app: { pid: number | undefined }): Promise<CostProbe> {
  let probe = probes.get(app);
  if (!probe) {
    probe = createCostProbe({ redis: ctx.redis, sql: ctx.sql, launcherPid: app.pid }).then((p) => {
      const missing = (["launcher", "redis", "postmaster"] as const).filter((role) => p.pids[role] === undefined);
      const note = (line: string) => void (noted.has(line) || (noted.add(line), ctx.note(line)));
      if (missing.length > 0) note(`Costs: no process found for ${missing.join(", ")} (not on this machine, or no /proc): their CPU columns are —`);
      const stats = readAllStats();
      if (p.pids.postmaster !== undefined && !subtree(process.pid, stats).has(p.pids.postmaster)) {
        note("Costs: the world's Postgres server is not the bench's own (DATABASE_URL): its CPU includes whatever else that server did meanwhile");
      }
      return p;
    });
    probes.set(app, probe);
  }
  return probe;
}
