import "server-only";
// Rate limits (sliding windows in Redis via @upstash/ratelimit). RATE_LIMIT_MULTIPLIER
// scales every limit (e.g. 100 for browser tests that register many users from one IP).
//
// While Redis is unavailable every limit falls back to an in-process limiter with the
// same rule (lib/local-rate-limiter.ts), so posting and liking keep working and stay
// limited: per instance, so N instances let a client through up to N times as often
// ("fail open" to a looser limit). Login errs the other way: its attempts are counted in
// process always and must pass both counts, so a Redis outage or a Redis restarted empty
// never hands a password guesser a fresh window (README "Rate limits").
import { Ratelimit, type Duration } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import { getRedis, hashTag, isRedisUnavailable, redisAvailable, redisNamespace } from "./redis";
import { AppError } from "./errors";
import { LocalSlidingWindow } from "./local-rate-limiter";

const RULES = {
  login: { tokens: 10, window: "5 m", alwaysLocal: true },
  register: { tokens: 10, window: "1 h", alwaysLocal: false },
  post: { tokens: 30, window: "1 m", alwaysLocal: false },
  like: { tokens: 120, window: "1 m", alwaysLocal: false },
  repost: { tokens: 60, window: "1 m", alwaysLocal: false },
  live: { tokens: 30, window: "1 m", alwaysLocal: false },
  // Image and avatar uploads: each costs a decode and a resize.
  upload: { tokens: 30, window: "10 m", alwaysLocal: false },
} satisfies Record<string, { tokens: number; window: Duration; alwaysLocal: boolean }>;

export type RateLimitName = keyof typeof RULES;

export class RateLimitError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("rate_limited", 429, `Too many attempts. Try again in ${waitInWords(retryAfterSeconds)}.`);
  }
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** A wait in the unit a person reads: "45 seconds", "16 minutes", "2 hours" (Retry-After keeps the seconds). */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), "second");
  // Minutes up to two hours, so "83 minutes" is not rounded down to "1 hour".
  if (seconds < 7_200) return plural(Math.round(seconds / 60), "minute");
  return plural(Math.round(seconds / 3_600), "hour");
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An @upstash/ratelimit Duration ("5 m") in ms, for the in-process limiter. */
function durationMs(window: Duration): number {
  const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(window);
  if (!match) throw new Error(`unsupported rate limit window "${window}"`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

// Per client (endpoint), so a changed endpoint gets limiters on the new one.
const limiters = new WeakMap<Redis, Map<string, Ratelimit>>();
const localLimiters = new Map<string, LocalSlidingWindow>();

function tokensFor(name: RateLimitName): number {
  const multiplier = Math.max(1, Number(process.env.RATE_LIMIT_MULTIPLIER ?? 1) || 1);
  return RULES[name].tokens * multiplier;
}

function limiter(name: RateLimitName): Ratelimit {
  const redis = getRedis();
  const prefix = redisNamespace("rl", name);
  let byPrefix = limiters.get(redis);
  if (!byPrefix) limiters.set(redis, (byPrefix = new Map()));
  let instance = byPrefix.get(prefix);
  if (!instance) {
    instance = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(tokensFor(name), RULES[name].window),
      prefix,
      analytics: false,
      // Its own timeout answers "allowed" silently; the transport's deadline fails the
      // call instead, and the in-process limiter decides.
      timeout: 0,
    });
    byPrefix.set(prefix, instance);
  }
  return instance;
}

function localLimiter(name: RateLimitName): LocalSlidingWindow {
  const tokens = tokensFor(name);
  const key = `${redisNamespace("rl", name)}|${tokens}`;
  let instance = localLimiters.get(key);
  if (!instance) localLimiters.set(key, (instance = new LocalSlidingWindow(tokens, durationMs(RULES[name].window))));
  return instance;
}

/** Counts one attempt; throws RateLimitError (429 with Retry-After) past the limit. */
export async function enforceRateLimit(name: RateLimitName, identifier: string): Promise<void> {
  if (RULES[name].alwaysLocal) {
    const local = localLimiter(name).limit(identifier);
    if (!local.success) throw limited(local.reset);
  }
  if (redisAvailable()) {
    try {
      // Keys `rl:<name>:{<identifier>}:<window>`: the limiter's script reads the current and
      // the previous window, which the tag keeps in one slot on a Redis Cluster. (Counts kept
      // under the older untagged keys are not read: a limit's window starts afresh once.)
      const { success, reset } = await limiter(name).limit(hashTag(identifier));
      if (!success) throw limited(reset);
      return;
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      warnFallback(error);
    }
  }
  if (RULES[name].alwaysLocal) return; // counted above
  const local = localLimiter(name).limit(identifier);
  if (!local.success) throw limited(local.reset);
}

const limited = (reset: number) => new RateLimitError(Math.max(1, Math.ceil((reset - Date.now()) / 1000)));

let lastWarning = 0;
function warnFallback(error: unknown): void {
  if (Date.now() - lastWarning < 60_000) return;
  lastWarning = Date.now();
  console.warn(`rate limits are counted in process while Redis is unavailable: ${(error as Error).message}`);
}
