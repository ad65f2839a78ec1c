import "server-only";
// Rate limits (sliding windows in Redis via @upstash/ratelimit). RATE_LIMIT_MULTIPLIER
// scales every limit (e.g. 100 for browser tests that register many users from one IP).
import { Ratelimit, type Duration } from "@upstash/ratelimit";
import { getRedis, redisKey } from "./redis";
import { AppError } from "./errors";

const RULES = {
  login: { tokens: 10, window: "5 m" },
  register: { tokens: 10, window: "1 h" },
  post: { tokens: 30, window: "1 m" },
  like: { tokens: 120, window: "1 m" },
} satisfies Record<string, { tokens: number; window: Duration }>;

export type RateLimitName = keyof typeof RULES;

export class RateLimitError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("rate_limited", 429, `Too many attempts. Try again in ${retryAfterSeconds} s.`);
  }
}

const limiters = new Map<string, Ratelimit>();

function limiter(name: RateLimitName): Ratelimit {
  const prefix = redisKey("rl", name);
  let instance = limiters.get(prefix);
  if (!instance) {
    const rule = RULES[name];
    const multiplier = Math.max(1, Number(process.env.RATE_LIMIT_MULTIPLIER ?? 1) || 1);
    instance = new Ratelimit({
      redis: getRedis(),
      limiter: Ratelimit.slidingWindow(rule.tokens * multiplier, rule.window),
      prefix,
      analytics: false,
    });
    limiters.set(prefix, instance);
  }
  return instance;
}

/** Counts one attempt; throws RateLimitError (429 with Retry-After) past the limit. */
export async function enforceRateLimit(name: RateLimitName, identifier: string): Promise<void> {
  const { success, reset } = await limiter(name).limit(identifier);
  if (!success) throw new RateLimitError(Math.max(1, Math.ceil((reset - Date.now()) / 1000)));
}
