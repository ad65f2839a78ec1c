// A private redis-server for machines with no Redis configured: the system binary when
// one is on PATH, otherwise one managed by `redis-memory-server`. It keeps nothing on
// disk: timelines are caches that Starling rebuilds from Postgres.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { LocalServiceError, freePort, isPortTaken } from "./problems";

//
// The system binary's server is supervised: if it dies (a crash, the OOM killer, a stray
// kill) it is started again on the same port after a short backoff, so the REST bridge,
// which keeps reconnecting, finds it there. It comes back empty, and the app rebuilds
// timelines as readers come.
export interface LocalRedis {
  url: string;
  /** The server's current pid (it changes when the supervisor restarts it). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface PrivateRedisOptions {
  port?: number;
  log?: (line: string) => void;
  /** Called with the new pid after each restart. */
  onRestart?: (pid: number | undefined) => void;
}

/** First restart delay; doubled while restarts keep failing or the server keeps dying young. */
const RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 5_000;
/** A server that lived this long before dying restarts after the first delay again. */
const STABLE_AFTER_MS = 30_000;

export async function startPrivateRedis(opts: PrivateRedisOptions = {}): Promise<LocalRedis> {
  const port = opts.port || (await freePort());
  if (await isPortTaken(port)) {
    throw new LocalServiceError(`Port ${port} for the private Redis is taken: set LOCAL_REDIS_PORT to a free port, or REDIS_URL to use an existing Redis.`);
  }
  const binary = findOnPath("redis-server");
  if (binary) return superviseRedis(binary, port, opts);

  opts.log?.("redis-server is not on PATH: trying redis-memory-server");
  try {
    const { RedisMemoryServer } = await import("redis-memory-server");
    const server = await RedisMemoryServer.create({ instance: { port } });
    const host = await server.getHost();
    return {
      url: `redis://${host}:${await server.getPort()}`,
      pid: undefined,
      stop: async () => void (await server.stop()),
    };
  } catch (error) {
    throw new LocalServiceError(
      `No Redis available: install redis-server (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL. (${(error as Error).message.split("\n")[0]})`,
    );
  }
}

function superviseRedis(binary: string, port: number, opts: PrivateRedisOptions): Promise<LocalRedis> {
  const log = opts.log ?? (() => {});
  let child: ChildProcess;
  let startedAt = 0;
  let stopping = false;
  let delay = RESTART_DELAY_MS;
  let timer: NodeJS.Timeout | undefined;

  const watch = (server: ChildProcess) => {
    child = server;
    startedAt = Date.now();
    server.once("exit", (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt >= STABLE_AFTER_MS) delay = RESTART_DELAY_MS;
      log(`redis-server (pid ${server.pid}) exited (${signal ?? `code ${code}`}); restarting it on port ${port} in ${delay} ms`);
      schedule();
    });
  };
  const schedule = () => {
    timer = setTimeout(() => void restart(), delay);
    delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
  };
  const restart = async () => {
    if (stopping) return;
    try {
      if (await isPortTaken(port)) throw new Error(`port ${port} is taken by another process`);
      const server = await spawnRedis(binary, port);
      if (stopping) return void server.kill("SIGTERM");
      watch(server);
      log(`redis-server restarted on port ${port} (pid ${server.pid}), empty: timelines are rebuilt as they are read`);
      opts.onRestart?.(server.pid);
    } catch (error) {
      log(`restarting redis-server failed: ${(error as Error).message}; trying again in ${delay} ms`);
      schedule();
    }
  };

  return spawnRedis(binary, port).then((first) => {
    watch(first);
    return {
      url: `redis://127.0.0.1:${port}`,
      get pid() {
        return child.pid;
      },
      stop: () =>
        new Promise<void>((done) => {
          stopping = true;
          clearTimeout(timer);
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once("exit", () => done());
          child.kill("SIGTERM");
        }),
    };
  });
}

/** Starts one redis-server and resolves once it listens. */
function spawnRedis(binary: string, port: number): Promise<ChildProcess> {
  const child: ChildProcess = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));

  return new Promise((resolve, reject) => {
    const exited = (code: number | null) =>
      reject(new LocalServiceError(`redis-server exited at start (code ${code}): ${output.trim().split("\n").pop() ?? ""}`));
    child.once("exit", exited);
    child.once("error", (error) => reject(new LocalServiceError(`redis-server could not start: ${error.message}`)));
    void waitForPort(port, 5_000).then((up) => {
      child.off("exit", exited);
      if (!up) {
        child.kill("SIGKILL");
        reject(new LocalServiceError(`redis-server did not listen on ${port} within 5 s`));
        return;
      }
      resolve(child);
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isPortTaken(port)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

function findOnPath(name: string): string | undefined {
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}
