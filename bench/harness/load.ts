// One load-generator run: autocannon against one URL at one concurrency, for a duration
// or a fixed number of requests, optionally with a different cookie per request.
import autocannon from "autocannon";
import type { LoadResult } from "./results";

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
  method?: "GET" | "POST";
  body?: string;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const headers: Record<string, string> = opts.cookie ? { cookie: opts.cookie } : {};
  if (opts.body) headers["content-type"] = "application/json";
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationS ?? 5 }),
    method: opts.method ?? "GET",
    body: opts.body,
    headers,
    timeout: 30,
    ...(opts.cookies
      ? {
          requests: [
            {
              setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: opts.cookies![next++ % opts.cookies!.length]! } }),
            },
          ],
        }
      : {}),
  });
  const durationS = result.duration;
  return {
    connections: opts.connections,
    requests: result.requests.total,
    durationS: round(durationS, 2),
    rps: round(result.requests.total / durationS, 1),
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: round(result.latency.mean, 2),
    },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
