// The app's one Redis client. It speaks Upstash's REST protocol: to Upstash in
// production, to the local bridge (scripts/local/redis-bridge.ts) everywhere else.
import { createHash } from "node:crypto";
import { Redis } from "@upstash/redis";
import { getEnv } from "./env";
import type { CircuitBreaker } from "./redis-breaker";
import { newBreaker, nodeHttpRequester } from "./redis-transport";
import { keySlot } from "./redis-slot";

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

/** A pipeline of the app's client: commands queued, then sent in one request by `exec()`. */
export type RedisPipeline = ReturnType<Redis["pipeline"]>;

export function getRedis(): Redis {
  const env = getEnv();
  const cached = globalForRedis.starlingRedis;
  if (cached?.url === env.UPSTASH_REDIS_REST_URL) return cached.client;
  const breaker = newBreaker(() => {
    for (const listener of recoveryListeners) listener();
  });
  const client = new StarlingRedis(env.UPSTASH_REDIS_REST_URL, env.UPSTASH_REDIS_REST_TOKEN, breaker);
  globalForRedis.starlingRedis = { url: env.UPSTASH_REDIS_REST_URL, client, breaker };
  return client;
}

const recoveryListeners = new Set<() => void>();

/**
 * Runs `listener` whenever this process finds Redis back after an outage (its breaker
 * closes again): for caches in Redis that writes made meanwhile could not invalidate.
 */
export function onRedisRecovered(listener: () => void): void {
  recoveryListeners.add(listener);
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

// Key layout: `<prefix><kind>:{<owner>}[:<sibling>]`, e.g. `tl:{42}` and `tl:{42}:lease`.
// The braces are a Redis Cluster hash tag: only the owner decides the key's slot, so a list
// and its lease and parked writes share one slot, and every script or transaction over one
// owner's keys runs on one node. (Before this layout keys were `tl:42`: a deployment that
// upgrades ignores its old keys, which are caches rebuilt from Postgres and expire by TTL;
// rate-limit windows start afresh once.) REDIS_KEY_PREFIX must not contain braces.

/** The untagged namespace `<prefix>a:b`: for libraries that append their own tagged suffix. */
export function redisNamespace(...parts: Array<string | number>): string {
  return keyPrefix() + parts.join(":");
}

let checkedPrefix: string | undefined;

/**
 * REDIS_KEY_PREFIX, checked once per value: a fan-out batch builds a key per follower, and
 * the check was a visible share of that in a CPU profile.
 */
function keyPrefix(): string {
  const prefix = getEnv().REDIS_KEY_PREFIX;
  if (prefix !== checkedPrefix) {
    if (/[{}]/.test(prefix)) throw new Error("REDIS_KEY_PREFIX must not contain { or }: they would become the hash tag of every key");
    checkedPrefix = prefix;
  }
  return prefix;
}

/** `{owner}`: a hash tag; braces (and %) in the owner are percent-encoded so it stays one tag. */
export function hashTag(owner: string | number): string {
  const text = String(owner);
  if (text === "") throw new Error("a Redis key owner must not be empty");
  return `{${/[{}%]/.test(text) ? encodeURIComponent(text) : text}}`;
}

/**
 * A key of `owner`: every key the app writes goes through here (or redisNamespace + hashTag).
 * `redisKey(kind)` alone is the untagged namespace, e.g. for a KEYS pattern.
 */
export function redisKey(kind: string, owner?: string | number, ...siblings: Array<string | number>): string {
  const namespace = keyPrefix() + kind;
  if (owner === undefined) return namespace;
  const key = `${namespace}:${hashTag(owner)}`;
  return siblings.length === 0 ? key : `${key}:${siblings.join(":")}`;
}

/**
 * Whether the REST endpoint fronts a Redis Cluster (REDIS_CLUSTER=1): then a script over
 * many owners' keys is sent as one script per slot (`bySlot`), and the bridge routes each
 * to its node. Upstash is not a cluster to its clients: it runs a script over any keys
 * (under its lock, all keys or, with the allow-key-locking flag, those in KEYS), so there
 * a fan-out batch stays one command, which is also what Upstash bills by. A single Redis
 * likewise: 2,000 one-timeline scripts cost it 1.3–1.8× the CPU of one script over the
 * 2,000 timelines (measured, docs/scaling-redis.md).
 */
export function redisIsCluster(): boolean {
  return getEnv().REDIS_CLUSTER;
}

/**
 * Splits `items` into groups whose keys (`keysOf`) share a slot, in first-seen order; one
 * group with everything when Redis is not a cluster. Each group's keys may go to one script.
 */
export function bySlot<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  if (!redisIsCluster() || items.length <= 1) return items.length === 0 ? [] : [[...items]];
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const slot = keySlot(keyOf(item));
    const group = groups.get(slot);
    if (group) group.push(item);
    else groups.set(slot, [item]);
  }
  return [...groups.values()];
}

/**
 * Runs one script per call, one request for all: a single EVAL when there is one call;
 * otherwise a pipeline of EVALSHA (the script's text is not repeated per call), loading the
 * script (the bridge loads it on every cluster node) and retrying the calls that found it
 * missing. Replies in call order; a call's Redis error (CROSSSLOT included) throws.
 */
export async function evalEach<R>(script: string, calls: ReadonlyArray<{ keys: string[]; args: string[] }>): Promise<R[]> {
  if (calls.length === 0) return [];
  const redis = getRedis();
  if (calls.length === 1) return [await redis.eval<string[], R>(script, calls[0]!.keys, calls[0]!.args)];
  const sha = scriptSha(script);
  const run = async (indexes: number[]) => {
    const p = redis.pipeline();
    for (const i of indexes) p.evalsha(sha, calls[i]!.keys, calls[i]!.args);
    return (await p.exec({ keepErrors: true })) as Array<{ result: unknown; error?: string }>;
  };
  const all = calls.map((_, i) => i);
  let replies = await run(all);
  const missing = all.filter((i) => replies[i]!.error?.startsWith("NOSCRIPT"));
  if (missing.length > 0) {
    await redis.scriptLoad(script);
    const again = await run(missing);
    replies = [...replies];
    missing.forEach((i, j) => (replies[i] = again[j]!));
  }
  return replies.map((reply) => {
    if (reply.error) throw new Error(`Redis script failed: ${reply.error}`);
    return reply.result as R;
  });
}

const shas = new Map<string, string>();
function scriptSha(script: string): string {
  let sha = shas.get(script);
  if (!sha) shas.set(script, (sha = createHash("sha1").update(script).digest("hex")));
  return sha;
}
