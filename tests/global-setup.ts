// Vitest global setup: real Postgres and Redis for every run. Uses DATABASE_URL /
// REDIS_URL / UPSTASH_* when set, otherwise the embedded stand-ins. Each run gets its own
// database and Redis key prefix, so runs never see each other's data.
// TEST_REDIS_CLUSTER=1: Redis is a three-master Redis Cluster started here (on
// TEST_REDIS_CLUSTER_PORTS, e.g. 7101,7102,7103, or free ports), behind the bridge in
// cluster mode, whatever REDIS_URL says (`npm run test:cluster`).
import crypto from "node:crypto";
import postgres from "postgres";
import { Redis as IORedis } from "ioredis";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../db/migrate";
import { ensureDatabase } from "../scripts/local/postgres";
import { startRedisCluster, type LocalRedisCluster } from "../scripts/local/redis-cluster";
import { startServices } from "../scripts/local/services";

export default async function setup(_project: TestProject) {
  // The orchestrator here only receives the events lib/ code sends (tests read them from
  // GET /events); tests that run functions start their own orchestrator and app.
  let cluster: LocalRedisCluster | undefined;
  const env = { ...process.env };
  if (process.env.TEST_REDIS_CLUSTER === "1") {
    const ports = process.env.TEST_REDIS_CLUSTER_PORTS?.split(",").map(Number);
    cluster = await startRedisCluster({ ports });
    Object.assign(env, { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: undefined, UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined });
    delete process.env.REDIS_URL;
  }
  let services: Awaited<ReturnType<typeof startServices>>;
  try {
    services = await startServices({ env, log: () => {} });
  } catch (error) {
    await cluster?.stop();
    throw error;
  }
  Object.assign(process.env, services.env);

  const runId = `${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`;
  const serverUrl = process.env.DATABASE_URL!;
  const database = `starling_test_${runId}`;
  await ensureDatabase(withDatabase(serverUrl, "postgres"), database);
  process.env.DATABASE_URL = withDatabase(serverUrl, database);
  process.env.REDIS_KEY_PREFIX = `test:${runId}:`;
  process.env.TEST_RUN_ID = runId;
  await migrateDatabase(process.env.DATABASE_URL);

  return async () => {
    try {
      const admin = postgres(withDatabase(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${database}" with (force)`).finally(() => admin.end());
      if (process.env.REDIS_URL) await deleteKeys(process.env.REDIS_URL, process.env.REDIS_KEY_PREFIX!);
      await services.stop();
    } finally {
      await cluster?.stop(); // a throwaway: its keys go with it
    }
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
