// One load-generator run: autocannon against one URL at one concurrency, for a duration
// or a fixed number of requests, optionally with a different cookie or path per request.
import autocannon from "autocannon";
import { percentile } from "../../lib/feed/stats";
import type { Latency, LoadResult } from "./results";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  durationS?: number;
  /** Exactly this many requests, then stop. */
  amount?: number;
  /** One cookie for every request… */
  cookie?: string;
  /** …or the next one of these for each request (cold reads: every reader once). */
  cookies?: readonly string[];
  /** The next of these paths (with query) on `url`'s host for each request, in turn (a mix of searches). */
  paths?: readonly string[];
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  let next = 0;
  let nextPath = 0;
  const headers: Record<string, string> = opts.cookie ? { cookie: opts.cookie } : {};
  // autocannon's own histogram keeps whole milliseconds; a warm read takes a few, so the
  // response times are kept here at full resolution.
  const times: number[] = [];
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationS ?? 5 }),
        headers,
        timeout: 30,
        ...(opts.cookies || opts.paths
          ? {
              requests: [
                {
                  setupRequest: (req) => ({
                    ...req,
                    ...(opts.paths ? { path: opts.paths[nextPath++ % opts.paths.length]! } : {}),
                    ...(opts.cookies ? { headers: { ...req.headers, cookie: opts.cookies[next++ % opts.cookies.length]! } } : {}),
                  }),
                },
              ],
            }
          : {}),
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime: number) => void times.push(responseTime));
  });
  const durationS = (performance.now() - started) / 1000;
  return {
    connections: opts.connections,
    requests: result.requests.total,
    durationS: round(durationS, 2),
    rps: round(result.requests.total / durationS, 1),
    latency: summarize(times),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Nearest-rank percentiles of samples in ms, to 0.01 ms. */
export function summarize(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(percentile(sorted, p) ?? 0, 2);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), 2) };
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
