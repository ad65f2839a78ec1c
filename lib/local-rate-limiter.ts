// An in-process sliding window limiter: the same algorithm @upstash/ratelimit's
// slidingWindow runs in Redis (a counter per fixed window, the previous window's count
// weighted by how much of it still overlaps the sliding window), kept in this process's
// memory. lib/rate-limit.ts falls back to it while Redis is unavailable, and counts login
// attempts in it always. Per process: with N app instances a client gets up to N times
// the allowance while only this limiter decides.

export interface LimitResult {
  success: boolean;
  /** When the current fixed window ends (ms since the epoch): a refused caller may retry then. */
  reset: number;
}

interface Counts {
  window: number;
  current: number;
  previous: number;
}

/** Above this many identifiers, stale ones (nothing in the last two windows) are swept. */
const SWEEP_ABOVE = 10_000;

export class LocalSlidingWindow {
  private readonly counts = new Map<string, Counts>();
  private nextSweepSize = SWEEP_ABOVE;

  constructor(
    readonly tokens: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt unless it is over the limit (as the Redis script does: refusals are not counted). */
  limit(identifier: string): LimitResult {
    const now = this.now();
    const window = Math.floor(now / this.windowMs);
    const reset = (window + 1) * this.windowMs;
    const counts = this.roll(identifier, window);
    const weightedPrevious = Math.floor((1 - (now % this.windowMs) / this.windowMs) * counts.previous);
    if (weightedPrevious + counts.current >= this.tokens) return { success: false, reset };
    counts.current += 1;
    return { success: true, reset };
  }

  /** How many identifiers it holds (for tests of the sweep). */
  get size(): number {
    return this.counts.size;
  }

  private roll(identifier: string, window: number): Counts {
    let counts = this.counts.get(identifier);
    if (!counts) {
      if (this.counts.size >= this.nextSweepSize) this.sweep(window);
      counts = { window, current: 0, previous: 0 };
      this.counts.set(identifier, counts);
    } else if (counts.window !== window) {
      counts.previous = counts.window === window - 1 ? counts.current : 0;
      counts.current = 0;
      counts.window = window;
    }
    return counts;
  }

  private sweep(window: number): void {
    for (const [identifier, counts] of this.counts) if (counts.window < window - 1) this.counts.delete(identifier);
    // Sweep again only once the map has grown as much again, so a map of live identifiers is not swept on every insert.
    this.nextSweepSize = Math.max(SWEEP_ABOVE, 2 * this.counts.size);
  }
}
