// The machine a run measured, recorded with every result: figures mean little without it.
import os from "node:os";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import type { MachineInfo } from "./results";

export async function describeMachine(sql: postgres.Sql, redis: Redis): Promise<MachineInfo> {
  const [{ server_version }] = await sql<[{ server_version: string }]>`show server_version`;
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "unknown";
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    postgres: server_version,
    redis: redisVersion,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
