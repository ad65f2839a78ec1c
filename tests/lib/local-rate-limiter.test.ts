// The in-process sliding window limiter (the fallback of lib/rate-limit.ts), on a hand-moved clock.
import { describe, expect, it } from "vitest";
import { LocalSlidingWindow } from "@/lib/local-rate-limiter";

function limiter(tokens: number, windowMs: number, start = 600_000) {
  const clock = { now: start };
  return { l: new LocalSlidingWindow(tokens, windowMs, () => clock.now), clock };
}

describe("the in-process sliding window limiter", () => {
  it("allows `tokens` attempts per window per identifier, and says when the window ends", () => {
    const { l } = limiter(3, 60_000);
    expect([1, 2, 3].map(() => l.limit("a").success)).toEqual([true, true, true]);
    const refused = l.limit("a");
    expect(refused).toEqual({ success: false, reset: 660_000 });
    expect(l.limit("b").success).toBe(true); // identifiers are separate
  });

  it("weights the previous window by how much of it the sliding window still covers, as the Redis script does", () => {
    const { l, clock } = limiter(4, 60_000);
    for (let i = 0; i < 4; i++) expect(l.limit("a").success).toBe(true);
    // A quarter into the next window, 3/4 of the previous 4 attempts still count: 3, so one more.
    clock.now += 60_000 + 15_000;
    expect(l.limit("a").success).toBe(true);
    expect(l.limit("a").success).toBe(false);
    // Three quarters in: floor(1/4 × 4) = 1 from the previous window, 1 in this one: two more.
    clock.now += 30_000;
    expect(l.limit("a").success).toBe(true);
    expect(l.limit("a").success).toBe(true);
    expect(l.limit("a").success).toBe(false);
    // Two windows later nothing counts any more.
    clock.now += 120_000;
    for (let i = 0; i < 4; i++) expect(l.limit("a").success).toBe(true);
  });

  it("does not count refused attempts", () => {
    const { l, clock } = limiter(2, 1_000);
    l.limit("a");
    l.limit("a");
    for (let i = 0; i < 50; i++) expect(l.limit("a").success).toBe(false);
    clock.now += 2_000;
    expect(l.limit("a").success).toBe(true);
  });

  it("forgets identifiers idle for two windows once it holds many", () => {
    const { l, clock } = limiter(1, 1_000);
    for (let i = 0; i < 10_000; i++) l.limit(`old-${i}`);
    expect(l.size).toBe(10_000);
    clock.now += 2_000;
    l.limit("new");
    expect(l.size).toBe(1);
    expect(l.limit("new").success).toBe(false);
  });
});
