// The app's one Redis client. It speaks Upstash's REST protocol: to Upstash in
// production, to the local bridge (scripts/local/redis-bridge.ts) everywhere else.
import { Redis } from "@upstash/redis";
import { getEnv } from "./env";

// Cached per endpoint so dev reloads reuse one client, and a changed endpoint gets a new one.
const globalForRedis = globalThis as unknown as { starlingRedis?: { url: string; client: Redis } };

export function getRedis(): Redis {
  const env = getEnv();
  const cached = globalForRedis.starlingRedis;
  if (cached?.url === env.UPSTASH_REDIS_REST_URL) return cached.client;
  const client = new Redis({
    url: env.UPSTASH_REDIS_REST_URL,
    token: env.UPSTASH_REDIS_REST_TOKEN,
    // Values are stored as plain strings; (de)serialisation is the caller's decision.
    automaticDeserialization: false,
    // Every value Starling stores is ASCII (ids, scores, JSON), so replies need no base64
    // wrapping: decoding it cost the feed read ~10% of its CPU.
    responseEncoding: false,
  });
  globalForRedis.starlingRedis = { url: env.UPSTASH_REDIS_REST_URL, client };
  return client;
}

/** A namespaced key: every key the app writes goes through here. */
export function redisKey(...parts: Array<string | number>): string {
  return getEnv().REDIS_KEY_PREFIX + parts.join(":");
}
