import "server-only";
// Feed health numbers for admins: how long recent posts took to reach every active
// follower (publish → last fan-out batch done) and how many timelines were rebuilt.
// Kept in Redis (a capped list of recent lags and a counter), so every app instance and
// every Inngest worker adds to the same figures.
import { getRedis, redisKey } from "@/lib/redis";

/** How many recent fan-outs the percentiles are computed over. */
export const LAG_SAMPLES = 1000;

export interface FanoutSample {
  postId: string;
  /** Publish → last batch done, in ms. */
  lagMs: number;
  /** Timelines the post was written to. */
  deliveries: number;
}

export interface FeedStats {
  fanout: {
    /** Fan-outs in the window (at most LAG_SAMPLES, newest). */
    samples: number;
    p50Ms: number | null;
    p99Ms: number | null;
    maxMs: number | null;
    /** Timelines written to across the window. */
    deliveries: number;
  };
  /** Timeline rebuilds (a missing timeline built from Postgres) since Redis was last flushed. */
  rebuilds: number;
}

export const fanoutLagKey = () => redisKey("stats", "fanout-lag");
export const rebuildCountKey = () => redisKey("stats", "rebuilds");

export async function getFeedStats(): Promise<FeedStats> {
  const p = getRedis().pipeline();
  p.lrange(fanoutLagKey(), 0, LAG_SAMPLES - 1);
  p.get(rebuildCountKey());
  const [rawSamples, rebuilds] = (await p.exec()) as [string[], string | null];
  const samples = rawSamples.flatMap((raw) => {
    try {
      return [JSON.parse(raw) as FanoutSample];
    } catch {
      return [];
    }
  });
  const lags = samples.map((s) => s.lagMs).sort((a, b) => a - b);
  return {
    fanout: {
      samples: lags.length,
      p50Ms: percentile(lags, 0.5),
      p99Ms: percentile(lags, 0.99),
      maxMs: lags.at(-1) ?? null,
      deliveries: samples.reduce((sum, s) => sum + s.deliveries, 0),
    },
    rebuilds: Number(rebuilds ?? 0),
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Progress of one post's fan-out: which batches are done, and how many there are. */
const progressKey = (postId: string) => redisKey("fanout", postId);

/**
 * Records a finished fan-out batch (`batch` ≥ 0, with its deliveries) or the number of
 * batches the dispatcher sent (`batch` = "total"). Whichever completes the set records
 * the post's lag (publish → now) once; a re-run batch counts once. Returns the lag when
 * this call completed the fan-out, else null.
 */
export async function recordFanoutProgress({ postId, createdAtMs, batch, value }: { postId: string; createdAtMs: number; batch: number | "total"; value: number }): Promise<number | null> {
  const lag = await getRedis().eval<string[], number>(
    PROGRESS_SCRIPT,
    [progressKey(postId), fanoutLagKey()],
    [String(batch), String(value), String(Date.now()), String(createdAtMs), postId, String(LAG_SAMPLES)],
  );
  return Number(lag) >= 0 ? Number(lag) : null;
}

// KEYS: progress hash, lag list. ARGV: batch index or 'total', deliveries or total, now ms,
// publish ms, post id, samples kept.
const PROGRESS_SCRIPT = `
local h = KEYS[1]
if ARGV[1] == 'total' then
  redis.call('HSET', h, 'total', ARGV[2])
elseif redis.call('HSETNX', h, 'b' .. ARGV[1], 1) == 1 then
  redis.call('HINCRBY', h, 'done', 1)
  redis.call('HINCRBY', h, 'deliveries', ARGV[2])
end
redis.call('EXPIRE', h, 86400)
local total = tonumber(redis.call('HGET', h, 'total') or '-1')
local done = tonumber(redis.call('HGET', h, 'done') or '0')
if total >= 0 and done >= total and redis.call('HSETNX', h, 'recorded', 1) == 1 then
  local lag = math.max(0, tonumber(ARGV[3]) - tonumber(ARGV[4]))
  local deliveries = tonumber(redis.call('HGET', h, 'deliveries') or '0')
  redis.call('LPUSH', KEYS[2], '{"postId":"' .. ARGV[5] .. '","lagMs":' .. lag .. ',"deliveries":' .. deliveries .. '}')
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[6]) - 1)
  return lag
end
return -1`;
