// The app's one Redis client. It speaks Upstash's REST protocol: to Upstash in
// production, to the local bridge (scripts/local/redis-bridge.ts) everywhere else.
import { Redis } from "@upstash/redis";
import { getEnv } from "./env";
import type { CircuitBreaker } from "./redis-breaker";
import { newBreaker, nodeHttpRequester } from "./redis-transport";

export { isRedisUnavailable, RedisUnavailableError } from "./redis-breaker";

// Cached per endpoint so dev reloads reuse one client, and a changed endpoint gets a new
// one. The breaker belongs to the endpoint: one per process.
const globalForRedis = globalThis as unknown as { starlingRedis?: { url: string; client: Redis; breaker: CircuitBreaker } };

/** The Upstash client with its transport replaced (lib/redis-transport.ts); commands are the SDK's. */
class StarlingRedis extends Redis {
  constructor(url: string, token: string, breaker: CircuitBreaker) {
    super({
      url,
      token,
      // Values are stored as plain strings; (de)serialisation is the caller's decision.
      automaticDeserialization: false,
      // Every value Starling stores is ASCII (ids, scores, JSON), so replies need no base64
      // wrapping; decoding it cost a warm feed read ~0.5 ms of CPU.
      responseEncoding: false,
      // Off, so the constructor returns this client rather than a proxy whose batching
      // executor would hold on to the fetch transport; the app pipelines explicitly where
      // it matters (a feed read is one request).
      enableAutoPipelining: false,
      enableTelemetry: false,
    });
    this.client = nodeHttpRequester({ url, token, breaker });
  }
}

export function getRedis(): Redis {
  const env = getEnv();
  const cached = globalForRedis.starlingRedis;
  if (cached?.url === env.UPSTASH_REDIS_REST_URL) return cached.client;
  const breaker = newBreaker();
  const client = new StarlingRedis(env.UPSTASH_REDIS_REST_URL, env.UPSTASH_REDIS_REST_TOKEN, breaker);
  globalForRedis.starlingRedis = { url: env.UPSTASH_REDIS_REST_URL, client, breaker };
  return client;
}

/** The breaker in front of the Redis endpoint (created with the client). */
export function redisBreaker(): CircuitBreaker {
  getRedis();
  return globalForRedis.starlingRedis!.breaker;
}

/**
 * Whether a Redis call would be attempted now: false while the breaker is open, so a
 * caller with a Postgres way round takes it without even building the call.
 */
export function redisAvailable(): boolean {
  return redisBreaker().available;
}

/** A namespaced key: every key the app writes goes through here. */
export function redisKey(...parts: Array<string | number>): string {
  return getEnv().REDIS_KEY_PREFIX + parts.join(":");
}
