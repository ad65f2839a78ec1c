// The app's Redis transport against the local REST bridge (or Upstash, when configured):
// commands, pipelines, scripts, errors, and a keep-alive connection the server dropped.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { errors } from "@upstash/redis";
import { getRedis, redisKey } from "@/lib/redis";
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
});
