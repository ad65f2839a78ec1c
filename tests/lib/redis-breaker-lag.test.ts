// The Redis breaker under an overloaded process: a deadline the app's own event loop missed
// (stalled here on purpose, as a saturated machine or a long GC pause stalls it) is not
// taken for a Redis outage, while a Redis that stops answering a responsive process still
// opens the breaker within one deadline.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CircuitBreaker, isRedisUnavailable } from "@/lib/redis-breaker";
import { LOOP_LAG_TOLERANCE_MS, nodeHttpRequester } from "@/lib/redis-transport";

const TIMEOUT_MS = 200;
/** Long enough that the deadline's timer fires well past the tolerance. */
const STALL_MS = TIMEOUT_MS + 3 * LOOP_LAG_TOLERANCE_MS;

/** Blocks this process's event loop, as a burst of synchronous work does. */
function stallEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: nothing else in the process runs meanwhile, timers included.
  }
}

type Behaviour = "hang" | "stall-then-hang" | "stall-then-answer";
let server: http.Server | undefined;

/** An endpoint in this process; each request gets `behaviour()` (read per request). */
async function endpoint(behaviour: () => Behaviour): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  server = http.createServer((_req, res) => {
    requests += 1;
    const b = behaviour();
    if (b !== "hang") stallEventLoop(STALL_MS);
    if (b === "stall-then-answer") res.end(JSON.stringify({ result: "PONG" }));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const newBreaker = () => new CircuitBreaker({ failureThreshold: 3, openMs: 60_000 });

describe("the Redis breaker when the process itself is late", () => {
  it("takes an answer that arrived while the event loop was stalled, rather than timing out", async () => {
    const { url } = await endpoint(() => "stall-then-answer");
    const breaker = newBreaker();
    const requester = nodeHttpRequester({ url, token: "t", timeoutMs: TIMEOUT_MS, breaker });
    expect(await requester.request({ body: ["ping"] })).toEqual({ result: "PONG" });
    expect(breaker.state).toBe("closed");
  });

  it("counts a deadline missed during a stall as one failure, not an outage; consecutive ones still open it", async () => {
    const { url, requests } = await endpoint(() => "stall-then-hang");
    const breaker = newBreaker();
    const requester = nodeHttpRequester({ url, token: "t", timeoutMs: TIMEOUT_MS, breaker });
    const first: unknown = await requester.request({ body: ["ping"] }).catch((error: unknown) => error);
    expect(breaker.state).toBe("closed");
    expect(isRedisUnavailable(first)).toBe(true);
    expect((first as Error).message).toMatch(/timed out after 200 ms \(the event loop was \d+ ms late\)/);
    await expect(requester.request({ body: ["ping"] })).rejects.toSatisfy(isRedisUnavailable);
    expect(breaker.state).toBe("closed");
    // A third in a row: Redis is not answering either way.
    await expect(requester.request({ body: ["ping"] })).rejects.toSatisfy(isRedisUnavailable);
    expect(breaker.state).toBe("open");
    await expect(requester.request({ body: ["ping"] })).rejects.toThrow(/circuit open/);
    expect(requests()).toBe(3);
  });

  it("still opens at once on one deadline when the process was responsive (a stopped Redis)", async () => {
    const { url } = await endpoint(() => "hang");
    const breaker = newBreaker();
    // A generous tolerance: on a loaded test machine the timer itself may fire a little late.
    const requester = nodeHttpRequester({ url, token: "t", timeoutMs: TIMEOUT_MS, lagToleranceMs: 5_000, breaker });
    await expect(requester.request({ body: ["ping"] })).rejects.toThrow(/timed out after 200 ms$/);
    expect(breaker.state).toBe("open");
  });

  it("a stopped Redis under load: the calls in flight together open it within one deadline", async () => {
    const { url } = await endpoint(() => "hang");
    const breaker = newBreaker();
    const requester = nodeHttpRequester({ url, token: "t", timeoutMs: TIMEOUT_MS, breaker });
    const calls = Array.from({ length: 4 }, () => requester.request({ body: ["ping"] }).catch((error: unknown) => error));
    stallEventLoop(STALL_MS); // every deadline is missed late: none of them severe on its own
    const errors = await Promise.all(calls);
    expect(errors.every(isRedisUnavailable)).toBe(true);
    expect(breaker.state).toBe("open");
  });
});
