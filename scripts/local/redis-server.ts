// A private redis-server for machines with no Redis configured: the system binary when
// one is on PATH, otherwise one managed by `redis-memory-server`. It keeps nothing on
// disk: timelines are caches that Starling rebuilds from Postgres.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { LocalServiceError, freePort, isPortTaken } from "./problems";

export interface LocalRedis {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export async function startPrivateRedis(opts: { port?: number; log?: (line: string) => void } = {}): Promise<LocalRedis> {
  const port = opts.port || (await freePort());
  if (await isPortTaken(port)) {
    throw new LocalServiceError(`Port ${port} for the private Redis is taken: set LOCAL_REDIS_PORT to a free port, or REDIS_URL to use an existing Redis.`);
  }
  const binary = findOnPath("redis-server");
  if (binary) return spawnRedis(binary, port);

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

function spawnRedis(binary: string, port: number): Promise<LocalRedis> {
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
      resolve({
        url: `redis://127.0.0.1:${port}`,
        pid: child.pid,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
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
