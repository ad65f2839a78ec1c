// The app under test: the production build started by the README's own launcher
// (scripts/start.ts) against the benchmark world's Postgres and a Redis the harness owns,
// so timelines survive a restart with another FEED_MODEL (each model has its own key
// prefix). The launcher runs the REST bridge and the Inngest orchestrator in its process
// and Next.js in another; the load generator runs here, in a third.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../scripts/local/problems";
import type { FeedModel } from "./results";

export interface AppUnderTest {
  model: FeedModel;
  url: string;
  orchestratorUrl: string;
  /** Every key this app writes starts with it. */
  keyPrefix: string;
  /** The launcher's process (Next.js runs below it): bench/harness/cpu.ts counts their CPU. */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface AppOptions {
  model: FeedModel;
  databaseUrl: string;
  redisUrl: string;
  authSecret: string;
  adminEmail: string;
  /** The launcher's data directory (auth secret file, run file); never the user's .data. */
  dataDir: string;
  /** Write a V8 CPU profile of the Next.js process here (written when it stops). */
  profileDir?: string;
  log: (line: string) => void;
}

export const keyPrefixFor = (model: FeedModel) => `bench:${model}:`;

export async function startApp(opts: AppOptions): Promise<AppUnderTest> {
  const [port, inngestPort] = [await freePort(), await freePort()];
  // A fresh orchestrator journal every time: a world generated again (a new world version)
  // hands out the same post ids as the last one, and a kept journal would drop their
  // fan-out batches as duplicates of an earlier run's (same event ids), so the fan-out
  // never completes.
  rmSync(path.join(opts.dataDir, "inngest"), { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    REDIS_KEY_PREFIX: keyPrefixFor(opts.model),
    LOCAL_INNGEST_PORT: String(inngestPort),
    STARLING_DATA_DIR: opts.dataDir,
    AUTH_SECRET: opts.authSecret,
    ADMIN_EMAILS: opts.adminEmail,
    FEED_MODEL: opts.model,
    // A build of its own beside the usual .next (e.g. while a dev server uses that one).
    ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
    // The benchmark posts and reads far faster than any person: lift the per-user limits.
    RATE_LIMIT_MULTIPLIER: "1000000",
    ...(opts.profileDir ? { STARLING_NEXT_NODE_FLAGS: `--cpu-prof --cpu-prof-dir=${opts.profileDir}` } : {}),
  };
  const tsx = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(process.execPath, [tsx, "scripts/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        output.push(line);
        if (output.length > 200) output.shift();
        // The build is the one slow step worth showing; the rest is noise during a run.
        if (process.env.BENCH_APP_LOG || /\[starling\] (building|built)|error/i.test(line)) opts.log(`app: ${line}`);
        if (line.includes("Starling is running at")) resolve();
      }
    };
    child.stdout.on("data", onLine);
    child.stderr.on("data", onLine);
    child.once("exit", (code) => reject(new Error(`the app exited (code ${code}) before it was ready:\n${output.slice(-30).join("\n")}`)));
  });
  const stop = () => stopChild(child);
  try {
    await withTimeout(ready, 600_000, "the app did not start within 10 minutes");
  } catch (error) {
    await stop();
    throw error;
  }
  return { model: opts.model, url: `http://127.0.0.1:${port}`, orchestratorUrl: `http://127.0.0.1:${inngestPort}`, keyPrefix: keyPrefixFor(opts.model), pid: child.pid, stop };
}

/** Waits until the app's background work (fan-out, follow merges) is done. */
export async function waitForBackgroundWork(app: AppUnderTest, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${app.orchestratorUrl}/idle?timeout=${Math.min(30_000, deadline - Date.now())}`);
    const body = (await res.json()) as { idle: boolean };
    if (body.idle) return;
  }
  throw new Error("the app's background work did not finish in time");
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
