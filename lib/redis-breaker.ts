// A circuit breaker for the one Redis endpoint a process talks to. Redis holds caches
// only, so when it stops answering, every caller has a Postgres way round it; what must
// not happen is each request waiting out its own timeout first. After a few consecutive
// failures (or one severe one: a timeout, which already cost a request its full wait) the
// breaker opens and calls fail at once for a while; then one trial call goes through, and
// its outcome closes the breaker or opens it again. Which failures are severe is the
// caller's judgement: the transport (lib/redis-transport.ts) does not count a timeout its
// own stalled event loop caused as one, since opening the breaker sends every Redis user of
// the process to Postgres, the wrong move for a process that is already overloaded.
//
// Checking it is a few property reads, so it sits in front of every call, warm ones too.

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  /** Consecutive failures that open it. */
  failureThreshold: number;
  /** How long it stays open before letting a trial call through. */
  openMs: number;
  /** Called when a trial call closes the breaker again: Redis is back after an outage. */
  onRecovered?: () => void;
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private opened = false;
  private trialInFlight = false;
  private trialStartedAt = 0;
  private lastErrorMessage: string | undefined;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (!this.opened) return "closed";
    return this.trialPending() || this.now() - this.openedAt >= this.options.openMs ? "half-open" : "open";
  }

  /** Whether a call would be let through now, without taking the trial: for callers choosing a path. */
  get available(): boolean {
    return !this.opened || (!this.trialPending() && this.now() - this.openedAt >= this.options.openMs);
  }

  /** The last failure, for health reports and the error of a refused call. */
  get lastError(): string | undefined {
    return this.lastErrorMessage;
  }

  /**
   * Asks to make a call. True: go ahead, and report the outcome with `succeeded` or
   * `failed` exactly once. False: the breaker is open (or its trial call is under way).
   */
  tryAcquire(): boolean {
    if (!this.opened) return true;
    if (this.trialPending() || this.now() - this.openedAt < this.options.openMs) return false;
    this.trialInFlight = true;
    this.trialStartedAt = this.now();
    return true;
  }

  succeeded(): void {
    const recovered = this.opened;
    this.failures = 0;
    this.opened = false;
    this.trialInFlight = false;
    if (recovered) this.options.onRecovered?.();
  }

  /** `severe`: the call timed out while the process was responsive, which opens the breaker at once. */
  failed(error: string, { severe = false }: { severe?: boolean } = {}): void {
    this.lastErrorMessage = error;
    this.failures += 1;
    if (this.opened || severe || this.failures >= this.options.failureThreshold) {
      // A failed trial (or a new failure while open) restarts the quiet period.
      this.opened = true;
      this.openedAt = this.now();
      this.trialInFlight = false;
    }
  }

  /** A trial whose outcome was never reported (a caller bug) stops blocking after a while. */
  private trialPending(): boolean {
    return this.trialInFlight && this.now() - this.trialStartedAt < 10 * this.options.openMs;
  }
}

/**
 * Redis did not answer (refused, reset, timed out, 5xx from the REST endpoint) or the
 * breaker is open. Callers with a Postgres way round catch it; API routes and server
 * actions answer anything left as 503 (lib/errors.ts `asUnavailable`).
 */
export class RedisUnavailableError extends Error {
  readonly code = "redis_unavailable";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RedisUnavailableError";
  }
}

/** By code rather than instanceof: bundlers may load this module more than once. */
export function isRedisUnavailable(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === "redis_unavailable";
}
