// The app's one Redis client. It speaks Upstash's REST protocol: to Upstash in
// production, to the local bridge (scripts/local/redis-bridge.ts) everywhere else.
import { Redis } from "@upstash/redis";
import { getEnv } from "./env";

const globalForRedis = globalThis as unknown as { starlingRedis?: Redis };

export function getRedis(): Redis {
  if (globalForRedis.starlingRedis) return globalForRedis.starlingRedis;
  const env = getEnv();
  const client = new Redis({
    url: env.UPSTASH_REDIS_REST_URL,
    token: env.UPSTASH_REDIS_REST_TOKEN,
    // Values are stored as plain strings; (de)serialisation is the caller's decision.
    automaticDeserialization: false,
  });
  globalForRedis.starlingRedis = client;
  return client;
}

/** A namespaced key: every key the app writes goes through here. */
export function redisKey(...parts: Array<string | number>): string {
  return getEnv().REDIS_KEY_PREFIX + parts.join(":");
}
