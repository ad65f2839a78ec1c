// The benchmark world: ensureWorld() returns a database holding the preset's synthetic
// social graph, reusing a complete world built earlier with the same parameters and
// rebuilding one that a crashed run left half done. Without a database URL it runs a
// persistent embedded Postgres in .data/bench/postgres (port 54371), one database per preset.
import path from "node:path";
import postgres from "postgres";
import { migrateDatabase } from "../../db/migrate";
import { hashPassword } from "../../lib/auth/password";
import { ensureDatabase, startEmbeddedPostgres } from "../../scripts/local/postgres";
import { generateWorld } from "./generate";
import { readMeta, sameWorld, writeMeta, type CompleteWorldMeta, type WorldMeta } from "./meta";
import { GENERATOR_VERSION, resolveParams, type PresetName, type WorldParams } from "./presets";
import { createProgress, type Progress } from "./progress";
import { deferIndexesAndForeignKeys, resetAppSchema, restoreIndexesAndForeignKeys, schemaFingerprint } from "./schema";
import { vacuumAnalyze } from "./vacuum";

export { PRESETS, PRESET_NAMES, isPresetName, resolveParams, type PresetName, type WorldParams } from "./presets";
export type { Account, Author, LiveCounts, Reader, WorldAccounts, WorldCounts, WorldMeta, CompleteWorldMeta } from "./meta";

export const BENCH_PASSWORD = "starling-bench";
export const BENCH_PG_PORT = 54371;
export const BENCH_PG_DIR = path.resolve(import.meta.dirname, "../../.data/bench/postgres");
/** An old world's activity is moved forward when it is this much older than now. */
const ACTIVITY_REFRESH_MS = 3600_000;
/** The tables the generator fills: their secondary indexes and foreign keys are set aside during the load. */
const LOADED_TABLES = ["users", "follows", "posts", "reposts", "live_sessions"];

export interface EnsureWorldOptions {
  preset: PresetName;
  /** Overrides of the preset's parameters; a world is reused only when all of them match. */
  params?: Partial<WorldParams>;
  /** The database to hold the world (created if missing). Default: DATABASE_URL, else the embedded server. */
  databaseUrl?: string;
  /** auto: reuse a complete world with the same parameters, else build. reuse: also accept one of the same preset with other parameters (never one an older generator built). fresh: always build. */
  mode?: "auto" | "reuse" | "fresh";
  log?: (line: string) => void;
  /** Progress bars on stderr (default true). */
  progress?: boolean;
  /** Concurrent chunks while generating (default 2: this project's machines have two cores). */
  concurrency?: number;
}

export interface World {
  databaseUrl: string;
  meta: CompleteWorldMeta;
  /** True when an existing world was used as it was. */
  reused: boolean;
  /** Stops the embedded Postgres if ensureWorld started one; the data stays. */
  stop(): Promise<void>;
}

export async function ensureWorld(opts: EnsureWorldOptions): Promise<World> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const params = resolveParams(opts.preset, opts.params);
  let databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  let stop = async () => {};
  if (databaseUrl) {
    await createDatabaseIfMissing(databaseUrl);
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: BENCH_PG_DIR, port: BENCH_PG_PORT, database: `starling_bench_${opts.preset}`, log });
    databaseUrl = pg.url;
    stop = pg.stop;
  }
  try {
    await migrateDatabase(databaseUrl);
    const progress = createProgress({ enabled: opts.progress ?? true });
    const { meta, reused } = await buildOrReuse({ preset: opts.preset, mode: opts.mode, concurrency: opts.concurrency, databaseUrl, params, log, progress });
    return { databaseUrl, meta, reused, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function buildOrReuse(opts: {
  preset: PresetName;
  mode: EnsureWorldOptions["mode"];
  concurrency: number | undefined;
  databaseUrl: string;
  params: WorldParams;
  log: (line: string) => void;
  progress: Progress;
}) {
  const { databaseUrl, params, log, progress, preset } = opts;
  const concurrency = opts.concurrency ?? 2;
  const sql = postgres(databaseUrl, {
    max: concurrency + 2,
    onnotice: () => {},
    idle_timeout: 10,
    // Session settings for bulk work: big sorts in memory, one core per index build.
    connection: { work_mem: "256MB", maintenance_work_mem: "512MB", max_parallel_maintenance_workers: 0, synchronous_commit: "off" },
  });
  // One generator per database at a time: a second one waits, then finds the world built.
  const lock = await sql.reserve();
  try {
    await lock`select pg_advisory_lock(hashtext('starling bench_world'))`;
    const existing = await readMeta(sql);
    const mode = opts.mode ?? "auto";
    // A world from another generator lacks what the harness now looks up (its reposts, their reader): never reused.
    const acceptable =
      existing?.status === "complete" &&
      (sameWorld(existing, preset, params) || (mode === "reuse" && existing.preset === preset && existing.generatorVersion === GENERATOR_VERSION));
    if (existing && acceptable && mode !== "fresh") {
      if (!sameWorld(existing, preset, params)) log(`reusing the ${existing.preset} world built with other parameters (--reuse)`);
      return { meta: await refreshActivity(sql, existing as CompleteWorldMeta, log), reused: true };
    }
    if (existing) {
      if (existing.status !== "complete") log("found a half-built world (an interrupted run): rebuilding");
      else if (mode === "fresh") log(`rebuilding the stored ${existing.preset} world (fresh)`);
      else if (existing.generatorVersion !== GENERATOR_VERSION) log(`the stored ${existing.preset} world was built by generator ${existing.generatorVersion}, this is ${GENERATOR_VERSION}: rebuilding`);
      else log(`the stored ${existing.preset} world has other parameters: rebuilding`);
    } else {
      await assertDisposable(sql);
    }
    await resetAppSchema(sql, databaseUrl);
    return { meta: await build(sql, { preset, params, log, progress, concurrency }), reused: false };
  } finally {
    await lock`select pg_advisory_unlock(hashtext('starling bench_world'))`.catch(() => {});
    lock.release();
    await sql.end({ timeout: 5 });
  }
}

async function build(sql: postgres.Sql, opts: { preset: PresetName; params: WorldParams; log: (line: string) => void; progress: Progress; concurrency: number }): Promise<CompleteWorldMeta> {
  const started = new Date();
  // Whole seconds, so the world's timestamps are round numbers relative to its clock.
  const clock = new Date(Math.floor(started.getTime() / 1000) * 1000);
  const meta: WorldMeta = {
    preset: opts.preset,
    params: opts.params,
    generatorVersion: GENERATOR_VERSION,
    status: "generating",
    clock: clock.toISOString(),
    activityClock: clock.toISOString(),
    startedAt: started.toISOString(),
  };
  opts.log(`building the ${opts.preset} world: ${opts.params.users.toLocaleString("en")} users (seed ${opts.params.seed})`);
  await writeMeta(sql, meta);
  const schemaBefore = await schemaFingerprint(sql);
  const deferred = await deferIndexesAndForeignKeys(sql, LOADED_TABLES);
  const result = await generateWorld({
    sql,
    params: opts.params,
    clock,
    password: BENCH_PASSWORD,
    passwordHash: await hashPassword(BENCH_PASSWORD),
    progress: opts.progress,
    concurrency: opts.concurrency,
    log: opts.log,
  });
  await restoreIndexesAndForeignKeys(sql, deferred, opts.progress);
  const schemaAfter = await schemaFingerprint(sql);
  if (schemaAfter !== schemaBefore) throw new Error(`the schema differs from the migrations' after the rebuild:\n${diffLines(schemaBefore, schemaAfter)}`);
  await vacuumAnalyze(sql, LOADED_TABLES, opts.progress);
  const complete: CompleteWorldMeta = {
    ...meta,
    ...result,
    status: "complete",
    completedAt: new Date().toISOString(),
    durationMs: Date.now() - started.getTime(),
    steps: { ...opts.progress.durations },
  };
  await writeMeta(sql, complete);
  const n = (v: number) => v.toLocaleString("en");
  const live = complete.counts.live;
  opts.log(
    `built in ${(complete.durationMs / 1000).toFixed(1)} s: ${n(complete.counts.follows)} follows, ${n(complete.counts.posts)} posts, ${n(complete.counts.reposts)} reposts, ` +
      `${n(live.live + live.upcoming + live.ended + live.cancelled)} live sessions by ${n(live.hosts)} hosts`,
  );
  return complete;
}

/**
 * last_active_at is what makes a follower "active" (seen within 8 days). A world reused
 * days later has its activity moved forward by its age, so the active fraction holds.
 */
async function refreshActivity(sql: postgres.Sql, meta: CompleteWorldMeta, log: (line: string) => void): Promise<CompleteWorldMeta> {
  const ageMs = Date.now() - Date.parse(meta.activityClock);
  if (ageMs < ACTIVITY_REFRESH_MS) return meta;
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  log(`moving the world's activity forward by ${(ageMs / 3600_000).toFixed(1)} h`);
  await sql`
    update users set last_active_at = least(${now}, last_active_at + (${now}::timestamptz - ${meta.activityClock}::timestamptz))
    where last_active_at is not null`;
  const refreshed = { ...meta, activityClock: now.toISOString() };
  await writeMeta(sql, refreshed);
  return refreshed;
}

/** Refuses to wipe a database that holds users but no world: it is somebody's data. */
async function assertDisposable(sql: postgres.Sql): Promise<void> {
  const [row] = await sql<[{ found: boolean }]>`select to_regclass('public.users') is not null as found`;
  if (!row?.found) return;
  const [users] = await sql<[{ any: boolean }]>`select exists (select 1 from users) as any`;
  if (users?.any) throw new Error("this database has users but no benchmark world: refusing to overwrite it (give the world a database of its own)");
}

/** The world's own database may not exist yet; only then is the server's `postgres` database needed. */
async function createDatabaseIfMissing(databaseUrl: string): Promise<void> {
  const probe = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await probe`select 1`;
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error; // 3D000: invalid_catalog_name
  } finally {
    await probe.end({ timeout: 5 });
  }
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  await ensureDatabase(url.toString(), database);
}

function diffLines(before: string, after: string): string {
  const a = new Set(before.split("\n"));
  const b = new Set(after.split("\n"));
  return [...[...a].filter((l) => !b.has(l)).map((l) => `- ${l}`), ...[...b].filter((l) => !a.has(l)).map((l) => `+ ${l}`)].join("\n");
}
