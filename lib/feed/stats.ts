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

// `stats:{fanout-lag}`, `stats:{rebuilds}`: each its own slot; read in one pipeline (split by the bridge on a cluster).
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

/** Progress of one post's fan-out (`fanout:{<post>}`): which batches are done, and how many there are. */
const progressKey = (postId: string) => redisKey("fanout", postId);

/**
 * Records a finished fan-out batch (`batch` ≥ 0, with its deliveries) or the number of
 * batches the dispatcher sent (`batch` = "total"). Whichever completes the set records
 * the post's lag (publish → now) once; a re-run batch counts once. Returns the lag when
 * this call completed the fan-out, else null.
 */
export async function recordFanoutProgress({ postId, createdAtMs, batch, value }: { postId: string; createdAtMs: number; batch: number | "total"; value: number }): Promise<number | null> {
  const redis = getRedis();
  const done = (await redis.eval<string[], [number, number] | number>(
    PROGRESS_SCRIPT,
    [progressKey(postId)],
    [String(batch), String(value), String(Date.now()), String(createdAtMs)],
  )) as [number, number] | number;
  if (!Array.isArray(done)) return null;
  // The sample goes to the shared list after the script, not inside it: the post's hash
  // and the list are different owners, so different slots on a cluster. The script said
  // "complete" once (its `recorded` field), so the sample is added once; a process that
  // dies in between loses that one sample.
  const [lag, deliveries] = done.map(Number) as [number, number];
  const p = redis.pipeline();
  p.lpush(fanoutLagKey(), JSON.stringify({ postId, lagMs: lag, deliveries } satisfies FanoutSample));
  p.ltrim(fanoutLagKey(), 0, LAG_SAMPLES - 1);
  await p.exec();
  return lag;
}

// KEYS: the post's progress hash (one key). ARGV: batch index or 'total', deliveries or
// total, now ms, publish ms. Returns {lag, deliveries} the one time the set completes, else -1.
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
  return {lag, tonumber(redis.call('HGET', h, 'deliveries') or '0')}
end
return -1`;
