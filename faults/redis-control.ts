// The faults' hands on the app's private redis-server: found by its port (its process
// title is "redis-server 127.0.0.1:<port>"), so a server the launcher restarted under a new
// pid is found too; flushed and probed over the wire.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import Redis from "ioredis";
import { isProcessAlive, stopProcess } from "@/scripts/local/problems";

export function findRedisPid(port: number): number | undefined {
  const title = new RegExp(`^\\S*redis-server \\S*:${port}(\\s|$)`);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (title.test(cmdline) && !isZombie(Number(entry))) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

function isZombie(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return true;
  }
}

async function withRedis<T>(port: number, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ port, host: "127.0.0.1", lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

export async function flushRedis(port: number): Promise<void> {
  await withRedis(port, (redis) => redis.flushall());
}

/** Takes the newest post out of a timeline behind the app's back: what a lost fan-out looks like. */
export async function dropNewestEntry(port: number, userId: string): Promise<string | undefined> {
  return withRedis(port, async (redis) => {
    const newest = await redis.zrevrangebyscore(`tl:${userId}`, "+inf", "-inf", "LIMIT", 0, 2);
    const id = newest.find((member) => /^\d+$/.test(member));
    if (id) await redis.zrem(`tl:${userId}`, id);
    return id;
  });
}

export async function pingRedis(port: number): Promise<boolean> {
  try {
    return (await withRedis(port, (redis) => redis.ping())) === "PONG";
  } catch {
    return false;
  }
}

/** Polls until a redis-server answers on the port; false after `timeoutMs`. */
export async function waitForRedis(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingRedis(port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

export function signalRedis(port: number, signal: NodeJS.Signals): number {
  const pid = findRedisPid(port);
  if (!pid) throw new Error(`no redis-server is listening on port ${port}`);
  process.kill(pid, signal);
  return pid;
}

export interface OwnRedis {
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * A redis-server of the suite's own, started with the launcher's arguments (nothing kept on
 * disk) but not supervised: when a fault kills it, it stays dead until the suite acts.
 */
export async function startOwnRedis(port: number): Promise<OwnRedis> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"], {
    stdio: "ignore",
  });
  if (!(await waitForRedis(port, 5_000))) {
    child.kill("SIGKILL");
    throw new Error(`redis-server did not start on port ${port}`);
  }
  return {
    pid: child.pid,
    stop: async () => {
      if (child.pid && child.exitCode === null && child.signalCode === null) await stopProcess(child.pid);
    },
  };
}

export function resumeRedis(port: number): void {
  const pid = findRedisPid(port);
  if (pid) process.kill(pid, "SIGCONT");
}

/** Stops whatever redis-server listens on the port (one the suite or its launcher started). */
export async function stopRedisOnPort(port: number): Promise<void> {
  const pid = findRedisPid(port);
  if (pid && isProcessAlive(pid)) {
    process.kill(pid, "SIGCONT"); // a stopped process cannot act on SIGTERM
    await stopProcess(pid);
  }
}
