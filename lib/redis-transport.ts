// The transport under the app's Redis client. @upstash/redis speaks Upstash's REST protocol
// through fetch (undici), which builds a Request, an AbortSignal and web streams for every
// call; on a warm feed read that was the largest share of the Next.js process's CPU after
// the framework itself. This requester speaks the same protocol (POST a JSON command or
// pipeline, read {result, error} back, keep the read-your-writes sync token) over node:http
// or node:https with keep-alive connections: 0.43 → 0.15 ms of CPU per call, measured
// client and bridge together (bench/README.md). Same endpoints, same tokens, in production
// and locally.
//
// Every call has a deadline and goes through the endpoint's circuit breaker
// (lib/redis-breaker.ts): a Redis that stops answering costs a request at most one
// deadline, then calls fail at once with RedisUnavailableError until a trial call succeeds.
// A deadline is the process's own word, though: when its event loop was stalled (a
// saturated machine, a long GC pause), the answer may be there unread, and opening the
// breaker would move every Redis user of the process onto Postgres where there is least
// room. So an answer that arrived during the stall is still taken, and a deadline the
// loop itself was late for counts as an ordinary failure, not as an outage.
import http from "node:http";
import https from "node:https";
import { errors, type Requester, type UpstashRequest, type UpstashResponse } from "@upstash/redis";
import { CircuitBreaker, RedisUnavailableError } from "./redis-breaker";

/**
 * A keep-alive connection the server closed just as it was reused: the command never
 * reached it, so one more try on a fresh connection is safe. A refused connection or a
 * timeout is not retried: the breaker counts it instead (and after a timeout the command
 * may have run).
 */
const RETRIES = 2;
const RETRYABLE = new Set(["ECONNRESET", "EPIPE"]);
/**
 * The whole request, connection included. Starling's largest command (a fan-out batch's
 * script over 2,000 timelines) runs in ~12 ms and a warm feed read's pipeline in well under
 * 1 ms; the slowest request p99 measured on the 2-core machine under c=64 load is ~150 ms.
 * A second is far above all of that, and short enough that the one request that finds
 * Redis stopped is slow once rather than stuck.
 */
export const REDIS_TIMEOUT_MS = 1_000;
/** Breaker: consecutive failures that open it, and how long it stays open before a trial. */
export const BREAKER_FAILURES = 3;
export const BREAKER_OPEN_MS = 3_000;
/**
 * How late the deadline's own timer may fire before the timeout is put down to the process
 * rather than to Redis. A healthy loop, busy or not, fires it within a few milliseconds;
 * 100 ms late (a tenth of the deadline) means it was stuck for at least that long.
 */
export const LOOP_LAG_TOLERANCE_MS = 100;

export function nodeHttpRequester({
  url,
  token,
  timeoutMs = REDIS_TIMEOUT_MS,
  lagToleranceMs = LOOP_LAG_TOLERANCE_MS,
  breaker = newBreaker(),
}: {
  url: string;
  token: string;
  timeoutMs?: number;
  /** LOOP_LAG_TOLERANCE_MS; a test of the hanging-endpoint rule on a loaded machine sets it far above its deadline. */
  lagToleranceMs?: number;
  breaker?: CircuitBreaker;
}): Requester {
  const base = new URL(url);
  const secure = base.protocol === "https:";
  const agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets: 256 });
  const basePath = base.pathname.replace(/\/$/, "");
  const requester: Requester = {
    readYourWrites: true,
    upstashSyncToken: "",
    async request<T>(req: UpstashRequest): Promise<UpstashResponse<T>> {
      if (req.onMessage || req.isStreaming) throw new Error("streaming commands are not supported by Starling's Redis transport");
      if (!breaker.tryAcquire()) {
        throw new RedisUnavailableError(`Redis is unavailable (circuit open; last error: ${breaker.lastError ?? "unknown"})`);
      }
      const body = JSON.stringify(req.body);
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        ...req.headers,
      };
      if (requester.readYourWrites && requester.upstashSyncToken) headers["upstash-sync-token"] = requester.upstashSyncToken;
      const options = { agent, method: "POST", hostname: base.hostname, port: base.port, path: [basePath, ...(req.path ?? [])].join("/") || "/", headers };
      const deadline = Date.now() + timeoutMs;
      let answer: Answer;
      for (let attempt = 0; ; attempt++) {
        try {
          answer = await post(secure, options, body, Math.max(1, deadline - Date.now()));
          break;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? "";
          if (attempt < RETRIES && RETRYABLE.has(code) && Date.now() < deadline) continue;
          // A timeout opens the breaker at once (a stopped Redis costs one deadline), unless
          // the event loop was itself late: then it counts towards the consecutive failures
          // like a refused call, and a stopped Redis under load still opens it within a
          // deadline, as the calls in flight all fail together.
          const timedOut = code === "ETIMEDOUT";
          const lateMs = (error as TimeoutError).lateMs ?? 0;
          const ownLag = timedOut && lateMs > lagToleranceMs;
          const message = ownLag ? `${(error as Error).message} (the event loop was ${lateMs} ms late)` : (error as Error).message;
          breaker.failed(message, { severe: timedOut && !ownLag });
          throw new RedisUnavailableError(`Redis is unavailable: ${message}`, { cause: error });
        }
      }
      // The REST endpoint answers 5xx when it cannot reach Redis (the local bridge: 503/504).
      if (answer.status >= 500) {
        const message = `the Redis REST endpoint answered ${answer.status}: ${answer.text.slice(0, 200)}`;
        breaker.failed(message, { severe: answer.status === 504 });
        throw new RedisUnavailableError(`Redis is unavailable: ${message}`);
      }
      breaker.succeeded();
      if (requester.readYourWrites && answer.syncToken !== undefined) requester.upstashSyncToken = answer.syncToken;
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.text);
      } catch (cause) {
        throw new errors.UpstashJSONParseError(answer.text, { cause });
      }
      if (answer.status < 200 || answer.status > 299) {
        throw new errors.UpstashError(`${(parsed as { error?: string }).error ?? `HTTP ${answer.status}`}, command was: ${body.slice(0, 200)}`);
      }
      return parsed as UpstashResponse<T>;
    },
  };
  return requester;
}

export function newBreaker(onRecovered?: () => void): CircuitBreaker {
  return new CircuitBreaker({ failureThreshold: BREAKER_FAILURES, openMs: BREAKER_OPEN_MS, onRecovered });
}

interface TimeoutError extends NodeJS.ErrnoException {
  /** How late the deadline's timer fired: the time the event loop was busy elsewhere. */
  lateMs?: number;
}

interface Answer {
  status: number;
  text: string;
  syncToken: string | undefined;
}

function post(secure: boolean, options: https.RequestOptions, body: string, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
    };
    const req = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        settle();
        const token = res.headers["upstash-sync-token"];
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), syncToken: Array.isArray(token) ? token[0] : token });
      });
      res.on("error", (error) => {
        settle();
        reject(error);
      });
    });
    // A deadline for the whole exchange (a socket timeout would only catch idleness).
    const armedAt = performance.now();
    const timer = setTimeout(() => {
      const lateMs = Math.round(performance.now() - armedAt - timeoutMs);
      // After a stall, timers run before the loop polls its sockets: an answer that came
      // meanwhile has not been read yet. setImmediate runs after that poll, so it is read
      // first, and only a call still unanswered then has timed out.
      setImmediate(() => {
        if (settled) return;
        const error: TimeoutError = new Error(`Redis REST request timed out after ${timeoutMs} ms`);
        error.code = "ETIMEDOUT";
        error.lateMs = lateMs;
        req.destroy(error);
      });
    }, timeoutMs);
    req.on("error", (error) => {
      settle();
      reject(error);
    });
    req.end(body);
  });
}
