// The Redis circuit breaker's state machine, on a hand-moved clock.
import { describe, expect, it } from "vitest";
import { CircuitBreaker, isRedisUnavailable, RedisUnavailableError } from "@/lib/redis-breaker";

function breaker() {
  const clock = { now: 1_000_000 };
  const b = new CircuitBreaker({ failureThreshold: 3, openMs: 2_000, now: () => clock.now });
  return { b, clock };
}

describe("the Redis circuit breaker", () => {
  it("says when Redis is back after an outage (a trial closes it), and only then", () => {
    const clock = { now: 1_000_000 };
    let recoveries = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 2_000, now: () => clock.now, onRecovered: () => recoveries++ });
    b.succeeded();
    b.failed("refused");
    b.succeeded(); // one failure never opened it: nothing to recover from
    expect(recoveries).toBe(0);
    b.failed("timed out", { severe: true });
    clock.now += 2_000;
    expect(b.tryAcquire()).toBe(true);
    b.succeeded();
    b.succeeded();
    expect(recoveries).toBe(1);
  });

  it("opens after consecutive failures only, and a success in between resets the count", () => {
    const { b } = breaker();
    expect(b.state).toBe("closed");
    b.failed("refused");
    b.failed("refused");
    b.succeeded();
    b.failed("refused");
    b.failed("refused");
    expect(b.state).toBe("closed");
    expect(b.tryAcquire()).toBe(true);
    b.failed("refused");
    expect(b.state).toBe("open");
    expect(b.available).toBe(false);
    expect(b.tryAcquire()).toBe(false);
    expect(b.lastError).toBe("refused");
  });

  it("opens at once on a timeout: one request already paid for it", () => {
    const { b } = breaker();
    b.failed("timed out", { severe: true });
    expect(b.state).toBe("open");
    expect(b.tryAcquire()).toBe(false);
  });

  it("lets exactly one trial call through once the open period is over; its success closes it", () => {
    const { b, clock } = breaker();
    b.failed("timed out", { severe: true });
    clock.now += 1_999;
    expect(b.tryAcquire()).toBe(false);
    clock.now += 1;
    expect(b.state).toBe("half-open");
    expect(b.available).toBe(true);
    expect(b.tryAcquire()).toBe(true); // the trial
    expect(b.available).toBe(false);
    expect(b.tryAcquire()).toBe(false); // everyone else while it runs
    b.succeeded();
    expect(b.state).toBe("closed");
    expect(b.tryAcquire()).toBe(true);
  });

  it("a failed trial opens it for another full period", () => {
    const { b, clock } = breaker();
    b.failed("refused", { severe: true });
    clock.now += 2_000;
    expect(b.tryAcquire()).toBe(true);
    b.failed("still refused");
    expect(b.state).toBe("open");
    clock.now += 1_999;
    expect(b.tryAcquire()).toBe(false);
    clock.now += 1;
    expect(b.tryAcquire()).toBe(true);
    b.succeeded();
    expect(b.state).toBe("closed");
  });

  it("does not stay half-open forever when a trial's outcome is never reported", () => {
    const { b, clock } = breaker();
    b.failed("x", { severe: true });
    clock.now += 2_000;
    expect(b.tryAcquire()).toBe(true);
    clock.now += 19_999;
    expect(b.tryAcquire()).toBe(false);
    clock.now += 1;
    expect(b.tryAcquire()).toBe(true);
  });

  it("its error is recognised by code, also when wrapped", () => {
    const error = new RedisUnavailableError("Redis is unavailable: refused");
    expect(isRedisUnavailable(error)).toBe(true);
    expect(isRedisUnavailable(new Error("other"))).toBe(false);
    expect(isRedisUnavailable("text")).toBe(false);
  });
});
