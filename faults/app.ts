// The app under test, started exactly as the README starts it (`tsx scripts/start.ts`, the
// production build) but isolated: its own ports, a fresh data directory, its own build
// directory. The launcher runs the REST bridge and the Inngest orchestrator in its own
// process and Postgres, redis-server and Next.js as children; the suite can kill it outright
// and start it again, as the faults require, and stops whatever is left at the end.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { isProcessAlive, stopProcess } from "@/scripts/local/problems";
import { reapLeftovers } from "@/scripts/local/run-file";
import { stopLeftoverPostgres } from "./postgres-control";
import { stopRedisOnPort } from "./redis-control";

export interface Ports {
  app: number;
  postgres: number;
  redis: number;
  inngest: number;
  bridge: number;
}

/** Variables that would point the app at real services instead of its own stand-ins. */
const SERVICE_VARIABLES = /^(DATABASE_URL|REDIS_URL|UPSTASH_|INNGEST_|NODE_ENV$|PORT$|NEXT_DIST_DIR$)/;

export class AppUnderTest {
  readonly url: string;
  readonly orchestratorUrl: string;
  readonly databaseUrl: string;
  readonly pgDataDir: string;
  private launcher: ChildProcess | undefined;
  private readonly recent: string[] = [];

  constructor(
    private readonly opts: {
      root: string;
      dataDir: string;
      distDir: string;
      ports: Ports;
      /** A Redis the suite owns (REDIS_URL); absent: the launcher's private redis-server. */
      redisUrl?: string;
      logFile: string;
      log: (line: string) => void;
    },
  ) {
    this.url = `http://127.0.0.1:${opts.ports.app}`;
    this.orchestratorUrl = `http://127.0.0.1:${opts.ports.inngest}`;
    this.databaseUrl = `postgres://postgres:starling@127.0.0.1:${opts.ports.postgres}/starling`;
    this.pgDataDir = path.join(opts.dataDir, "postgres");
  }

  get launcherPid(): number | undefined {
    return this.launcher?.exitCode === null && this.launcher.signalCode === null ? this.launcher.pid : undefined;
  }

  /** Starts the launcher and waits for "Starling is running at" (a first build takes minutes). */
  async start(timeoutMs: number): Promise<void> {
    const { ports } = this.opts;
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SERVICE_VARIABLES.test(k))) as NodeJS.ProcessEnv;
    Object.assign(env, {
      PORT: String(ports.app),
      HOSTNAME: "127.0.0.1",
      STARLING_DATA_DIR: this.opts.dataDir,
      LOCAL_POSTGRES_PORT: String(ports.postgres),
      LOCAL_REDIS_PORT: String(ports.redis),
      LOCAL_INNGEST_PORT: String(ports.inngest),
      LOCAL_REDIS_BRIDGE_PORT: String(ports.bridge),
      NEXT_DIST_DIR: this.opts.distDir,
      SEED_ON_START: "0",
      // The workload posts and logs in far faster than people do.
      RATE_LIMIT_MULTIPLIER: "100000",
      NEXT_TELEMETRY_DISABLED: "1",
    });
    if (this.opts.redisUrl) env.REDIS_URL = this.opts.redisUrl;
    const tsx = path.join(this.opts.root, "node_modules", "tsx", "dist", "cli.mjs");
    // Its own process group: the terminal's Ctrl-C reaches the suite, which stops it in order.
    const child = spawn(process.execPath, [tsx, "scripts/start.ts"], { cwd: this.opts.root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.launcher = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app did not start within ${timeoutMs / 1000} s:\n${this.tail()}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n").filter(Boolean)) {
          this.keep(line);
          if (/\[starling\] (postgres|redis|inngest|no build|sources changed|stopping|.*left running)/.test(line)) this.opts.log(`  app: ${line}`);
          if (line.includes("Starling is running at")) {
            clearTimeout(timer);
            resolve();
          }
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the launcher exited (${signal ?? code}) before the app was ready:\n${this.tail()}`));
      });
    });
  }

  /**
   * SIGKILL to the launcher alone: its children (Next.js, Postgres, redis-server) stay behind.
   * The launcher is the process that wrote the run file; `tsx` runs it as a child of its own
   * CLI process, which then exits by itself.
   */
  killLauncher(): void {
    const pid = this.recordedLauncher() ?? this.launcherPid;
    if (pid) process.kill(pid, "SIGKILL");
  }

  /** Ctrl-C for the launcher, then whatever it left behind; bounded. */
  async stop(): Promise<void> {
    const child = this.launcher;
    if (child && this.launcherPid) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(child.pid!, "SIGTERM");
      const timer = setTimeout(() => this.launcherPid && process.kill(child.pid!, "SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    await this.reapLeftovers();
  }

  /** What a killed launcher leaves: Next.js and redis-server (run file), Postgres (postmaster.pid). */
  async reapLeftovers(): Promise<void> {
    const launcher = this.recordedLauncher();
    if (launcher) await stopProcess(launcher, "SIGTERM", 20_000);
    await reapLeftovers(this.opts.dataDir, (line) => this.opts.log(`  reap: ${line}`)).catch((e: unknown) => this.opts.log(`  reap: ${String(e)}`));
    if (!this.opts.redisUrl) await stopRedisOnPort(this.opts.ports.redis);
    await stopLeftoverPostgres(this.pgDataDir);
  }

  /** The launcher named in the run file, if it still runs. */
  private recordedLauncher(): number | undefined {
    try {
      const { launcher } = JSON.parse(readFileSync(path.join(this.opts.dataDir, "run.json"), "utf8")) as { launcher?: number };
      return launcher && isProcessAlive(launcher) ? launcher : undefined;
    } catch {
      return undefined;
    }
  }

  tail(lines = 30): string {
    return this.recent.slice(-lines).join("\n");
  }

  private keep(line: string): void {
    appendFileSync(this.opts.logFile, `${line}\n`);
    this.recent.push(line);
    if (this.recent.length > 300) this.recent.shift();
  }
}
