// Vitest global setup: real Postgres and Redis for every run. Uses DATABASE_URL /
// REDIS_URL / UPSTASH_* when set, otherwise the embedded stand-ins. Each run gets its own
// database and Redis key prefix, so runs never see each other's data.
import crypto from "node:crypto";
import postgres from "postgres";
import { Redis as IORedis } from "ioredis";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../db/migrate";
import { ensureDatabase } from "../scripts/local/postgres";
import { startServices } from "../scripts/local/services";

export default async function setup(_project: TestProject) {
  // The orchestrator here only receives the events lib/ code sends (tests read them from
  // GET /events); tests that run functions start their own orchestrator and app.
  const services = await startServices({ env: process.env, log: () => {} });
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
    const admin = postgres(withDatabase(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${database}" with (force)`).finally(() => admin.end());
    if (process.env.REDIS_URL) await deleteKeys(process.env.REDIS_URL, process.env.REDIS_KEY_PREFIX!);
    await services.stop();
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
