// The app's Redis transport against the local REST bridge (or Upstash, when configured):
// commands, pipelines, scripts, errors, and a keep-alive connection the server dropped.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { errors } from "@upstash/redis";
import { getRedis, redisKey } from "@/lib/redis";
import { CircuitBreaker, isRedisUnavailable } from "@/lib/redis-breaker";
import { nodeHttpRequester } from "@/lib/redis-transport";

describe("the Redis transport", () => {
  it("runs commands, pipelines and scripts, with replies as plain strings", async () => {
    const redis = getRedis();
    const key = redisKey("transport", "z");
    await redis.del(key);
    expect(await redis.zadd(key, { score: 1, member: "0000000000000000042" }, { score: 2, member: '{"a":1}' })).toBe(2);
    const p = redis.pipeline();
    p.zrange(key, 0, -1, { withScores: true });
    p.zcard(key);
    expect(await p.exec()).toEqual([["0000000000000000042", "1", '{"a":1}', "2"], 2]);
    expect(await redis.eval("return redis.call('ZSCORE', KEYS[1], ARGV[1])", [key], ['{"a":1}'])).toBe("2");
    await redis.del(key);
  });

  it("turns a Redis error into an UpstashError naming the problem", async () => {
    const redis = getRedis();
    const key = redisKey("transport", "s");
    await redis.set(key, "text");
    await expect(redis.zadd(key, { score: 1, member: "x" })).rejects.toThrow(errors.UpstashError);
    await expect(redis.zadd(key, { score: 1, member: "x" })).rejects.toThrow(/WRONGTYPE/);
    const p = redis.pipeline();
    p.get(key);
    p.zcard(key);
    await expect(p.exec()).rejects.toThrow(/Command 2 \[ zcard \] failed: WRONGTYPE/);
    await redis.del(key);
  });

  it("answers a non-JSON reply with a parse error and retries a connection the server dropped", async () => {
    let requests = 0;
    const server = http.createServer((req, res) => {
      requests += 1;
      if (requests === 1) return req.socket.destroy(); // the connection dies before any answer
      if (req.url === "/broken") return res.end("<html>proxy error</html>");
      res.setHeader("upstash-sync-token", `t${requests}`);
      res.end(JSON.stringify({ result: "PONG" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const requester = nodeHttpRequester({ url, token: "t" });
      expect(await requester.request({ body: ["ping"] })).toEqual({ result: "PONG" });
      expect(requests).toBe(2);
      expect(requester.upstashSyncToken).toBe("t2");
      await expect(requester.request({ path: ["broken"], body: ["ping"] })).rejects.toThrow(errors.UpstashJSONParseError);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("gives a hanging endpoint one deadline, then fails fast through the open breaker until a trial succeeds", async () => {
    let requests = 0;
    let mode: "hang" | "503" | "ok" = "hang";
    const server = http.createServer((req, res) => {
      requests += 1;
      if (mode === "hang") return; // a stopped Redis: the connection is accepted, nothing comes back
      if (mode === "503") return void res.writeHead(503).end(JSON.stringify({ error: "ERR Redis is unavailable" }));
      res.end(JSON.stringify({ result: "PONG" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const clock = { now: 0 };
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1_000, now: () => clock.now });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // A timer late by more than the lag tolerance counts as the process's own stall, not
      // Redis' (tests/lib/redis-breaker-lag.test.ts): on a loaded test machine that could
      // happen here, and this test is about a hanging endpoint.
      const requester = nodeHttpRequester({ url, token: "t", timeoutMs: 200, lagToleranceMs: 60_000, breaker });
      await expect(requester.request({ body: ["ping"] })).rejects.toThrow(/timed out after 200 ms/);
      expect(breaker.state).toBe("open");
      for (let i = 0; i < 5; i++) await expect(requester.request({ body: ["ping"] })).rejects.toSatisfy(isRedisUnavailable);
      expect(requests).toBe(1); // the open breaker sent nothing on

      clock.now += 1_000;
      mode = "503"; // the endpoint is up, Redis behind it is not: the trial fails
      await expect(requester.request({ body: ["ping"] })).rejects.toThrow(/answered 503/);
      expect(breaker.state).toBe("open");
      clock.now += 1_000;
      mode = "ok";
      expect(await requester.request({ body: ["ping"] })).toEqual({ result: "PONG" });
      expect(breaker.state).toBe("closed");
      expect(requests).toBe(3);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("counts a Redis error reply as an answer, not as an outage", async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 60_000 });
    const key = redisKey("transport", "breaker");
    const requester = nodeHttpRequester({ url: process.env.UPSTASH_REDIS_REST_URL!, token: process.env.UPSTASH_REDIS_REST_TOKEN!, breaker });
    await requester.request({ body: ["set", key, "text"] });
    await expect(requester.request({ body: ["zadd", key, "1", "x"] })).rejects.toThrow(/WRONGTYPE/);
    expect(breaker.state).toBe("closed");
    await requester.request({ body: ["del", key] });
  });
});
