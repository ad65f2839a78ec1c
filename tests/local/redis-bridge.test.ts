// The local Upstash bridge against a real Redis: the app's own client (@upstash/redis,
// default settings) for behaviour, raw fetch for the wire protocol and its edge cases.
import net from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Redis as IORedis } from "ioredis";
import { Redis } from "@upstash/redis";
import { startRedisBridge, type RedisBridge } from "../../scripts/local/redis-bridge";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const token = `test-${randomUUID()}`;
const prefix = `test:redis-bridge:${randomUUID()}:`;
const key = (name: string) => prefix + name;

let bridge: RedisBridge;
let redis: Redis; // exactly as an app would build it
let rawRedis: Redis; // as lib/redis.ts builds it: no JSON parsing of values
let direct: IORedis; // a second opinion straight from Redis

beforeAll(async () => {
  bridge = await startRedisBridge({ redisUrl: REDIS_URL, token, port: 0 });
  redis = new Redis({ url: bridge.url, token });
  rawRedis = new Redis({ url: bridge.url, token, automaticDeserialization: false });
  direct = new IORedis(REDIS_URL);
});

afterAll(async () => {
  if (direct) {
    const keys: string[] = [];
    for await (const batch of direct.scanStream({ match: `${prefix}*`, count: 1000 })) keys.push(...(batch as string[]));
    if (keys.length) await direct.del(...keys);
    direct.disconnect();
  }
  await bridge?.close();
});

interface RawOptions {
  path?: string;
  base64?: boolean;
  auth?: string | null;
  method?: string;
  body?: string;
}

/** One request as the client would send it, minus the client's helpful validation. */
async function raw(payload: unknown, opts: RawOptions = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (opts.auth !== null) headers.Authorization = opts.auth ?? `Bearer ${token}`;
  if (opts.base64) headers["Upstash-Encoding"] = "base64";
  const method = opts.method ?? "POST";
  const res = await fetch(bridge.url + (opts.path ?? "/"), {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : (opts.body ?? JSON.stringify(payload)),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("through @upstash/redis", () => {
  it("round-trips strings, unicode and emoji, and counts", async () => {
    const text = "héllo wörld — 日本語 🐦‍⬛ 👩🏽‍💻";
    expect(await redis.set(key("s"), text)).toBe("OK");
    expect(await redis.get(key("s"))).toBe(text);
    expect(await direct.get(key("s"))).toBe(text); // stored as UTF-8, not as base64

    expect(await redis.incr(key("n"))).toBe(1);
    expect(await redis.incrby(key("n"), 41)).toBe(42);
    expect(await rawRedis.get(key("n"))).toBe("42");
    expect(await redis.del(key("s"), key("n"), key("missing"))).toBe(2);
    expect(await redis.get(key("s"))).toBeNull();
  });

  it("keeps control characters and binary-ish strings intact", async () => {
    const weird = "\u0000\u0001\u001f\u007f\u0080\u00ff\r\n\"\\ tab\t end";
    await rawRedis.set(key("weird"), weird);
    expect(await rawRedis.get(key("weird"))).toBe(weird);
    expect((await direct.getBuffer(key("weird")))?.equals(Buffer.from(weird, "utf8"))).toBe(true);

    // JSON-looking values survive the client's own parsing both ways.
    await redis.set(key("json"), { a: 1, nested: ["x", 2] });
    expect(await redis.get(key("json"))).toEqual({ a: 1, nested: ["x", 2] });
    expect(await rawRedis.get(key("json"))).toBe('{"a":1,"nested":["x",2]}');
  });

  it("handles sorted sets: zadd flags, reverse score ranges with paging, scores", async () => {
    const k = key("z");
    expect(await redis.zadd(k, { score: 1, member: "a" }, { score: 2, member: "b" }, { score: 3, member: "c" })).toBe(3);
    expect(await redis.zadd(k, { score: 4, member: "d" }, { score: 5, member: "e" })).toBe(2);
    // NX leaves existing members alone; GT only raises; CH counts changes.
    expect(await redis.zadd(k, { nx: true }, { score: 100, member: "a" }, { score: 6, member: "f" })).toBe(1);
    expect(await redis.zscore(k, "a")).toBe(1);
    expect(await redis.zadd(k, { gt: true, ch: true }, { score: 0, member: "b" }, { score: 10, member: "c" })).toBe(1);
    expect(await redis.zscore(k, "b")).toBe(2);
    expect(await redis.zscore(k, "c")).toBe(10);
    expect(await redis.zadd(k, { incr: true }, { score: 0.5, member: "a" })).toBe(1.5);

    // Newest first, second page of two: the home-timeline read.
    expect(await redis.zrange(k, "+inf", "-inf", { byScore: true, rev: true, offset: 1, count: 2 })).toEqual(["f", "e"]);
    expect(await redis.zrange(k, 5, "(2", { byScore: true, rev: true, offset: 0, count: 10 })).toEqual(["e", "d"]);
    expect(await redis.zrange(k, 0, 1, { withScores: true })).toEqual(["a", 1.5, "b", 2]);

    expect(await redis.zremrangebyrank(k, 0, -4)).toBe(3);
    expect(await redis.zcard(k)).toBe(3);
    expect(await redis.zrange(k, 0, -1)).toEqual(["e", "f", "c"]);
  });

  it("handles hashes; hgetall stays a flat field/value list on the wire", async () => {
    const k = key("h");
    expect(await redis.hset(k, { name: "Ada 🐦", posts: 3, "field ✨ with spaces": "x" })).toBe(3);
    expect(await redis.hget(k, "name")).toBe("Ada 🐦");
    expect(await redis.hincrby(k, "posts", 2)).toBe(5);
    expect(await redis.hgetall(k)).toEqual({ name: "Ada 🐦", posts: 5, "field ✨ with spaces": "x" });
    // Without automatic deserialization the client hands back the wire reply: a flat list.
    expect(await rawRedis.hgetall(k)).toEqual(["name", "Ada 🐦", "posts", "5", "field ✨ with spaces", "x"]);
    expect(await redis.hdel(k, "posts")).toBe(1);
    expect(await redis.hkeys(k)).toEqual(["name", "field ✨ with spaces"]);
    expect(await redis.hgetall(key("no-such-hash"))).toBeNull();
  });

  it("runs Lua scripts with nested replies, and their errors", async () => {
    const script = "redis.call('SET', KEYS[1], ARGV[1]); return {KEYS[1], redis.call('GET', KEYS[1]), 42, {'nested', 7}}";
    expect(await rawRedis.eval(script, [key("lua")], ["välue"])).toEqual([key("lua"), "välue", 42, ["nested", 7]]);
    await expect(redis.eval("return redis.error_reply('MYERR custom failure')", [], [])).rejects.toThrow(/MYERR custom failure/);

    // EVALSHA first, NOSCRIPT, then EVAL: the client's script cache relies on the error text.
    await direct.script("FLUSH");
    const counter = redis.createScript<number>("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    expect(await counter.exec([key("lua-n")], ["5"])).toBe(5);
    expect(await counter.exec([key("lua-n")], ["5"])).toBe(10);
  });

  it("runs scripts carrying Upstash-only shebang flags, by EVAL and then EVALSHA", async () => {
    // @upstash/ratelimit 2.2 starts its scripts like this; redis-server 7 refuses the flag.
    const script = "#!lua flags=allow-key-locking\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])";
    const counter = redis.createScript<number>(script);
    expect(await counter.exec([key("flagged")], ["2"])).toBe(2); // EVALSHA: NOSCRIPT, then EVAL
    expect(await counter.exec([key("flagged")], ["2"])).toBe(4); // EVALSHA of the original hash
    expect(await direct.get(key("flagged"))).toBe("4");
  });

  it("auto-pipelines concurrent calls into correct, separate answers", async () => {
    // Untyped, but the proxy that does the batching exposes it.
    const pipelines = () => (redis as unknown as { pipelineCounter: number }).pipelineCounter;
    const before = pipelines();
    const results = await Promise.all(Array.from({ length: 200 }, () => redis.incr(key("auto"))));
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Batched into a few /pipeline requests, not 200 of them.
    expect(pipelines() - before).toBeGreaterThan(0);
    expect(pipelines() - before).toBeLessThan(10);
  });

  it("runs an explicit pipeline in order; one failing command fails only itself", async () => {
    const results = await redis.pipeline().set(key("p"), "1").incr(key("p")).get(key("p")).exec();
    expect(results).toEqual(["OK", 2, 2]);

    await redis.set(key("p-text"), "not a number");
    const mixed = await redis
      .pipeline()
      .set(key("p-a"), "a")
      .incr(key("p-text"))
      .set(key("p-b"), "b")
      .exec({ keepErrors: true });
    expect(mixed.map((r) => r.error ?? null)).toEqual([null, expect.stringMatching(/not an integer/), null]);
    expect(mixed[2]?.result).toBe("OK");
    await expect(redis.pipeline().incr(key("p-text")).exec()).rejects.toThrow(/not an integer/);
    expect(await redis.mget(key("p-a"), key("p-b"))).toEqual(["a", "b"]);
  });

  it("runs multi as one transaction, results in order", async () => {
    const k = key("m");
    expect(await redis.multi().set(k, "10").incr(k).incrby(k, 5).get(k).exec()).toEqual(["OK", 11, 16, 16]);

    // A runtime error inside EXEC is reported in place; the rest still ran (Redis semantics).
    await redis.set(key("m-text"), "text");
    const mixed = await redis.multi().incr(key("m-text")).incr(k).exec({ keepErrors: true });
    expect(mixed[0]?.error).toMatch(/not an integer/);
    expect(mixed[1]?.result).toBe(17);

    // Concurrent transactions never interleave: each sees its own two increments back to back.
    const runs = await Promise.all(
      Array.from({ length: 40 }, () => redis.multi().incr(key("m-c")).incr(key("m-c")).exec()),
    );
    for (const [first, second] of runs) expect(second).toBe((first as number) + 1);
    expect(await redis.get(key("m-c"))).toBe(80);
  });

  it("takes a pipeline of 5,000 ZADDs", async () => {
    const k = key("big");
    const pipeline = redis.pipeline();
    for (let i = 0; i < 5_000; i++) pipeline.zadd(k, { score: i, member: `post:${i}` });
    const results = await pipeline.exec();
    expect(results).toHaveLength(5_000);
    expect(results.every((r) => r === 1)).toBe(true);
    expect(await redis.zcard(k)).toBe(5_000);
    expect(await redis.zrange(k, "+inf", "-inf", { byScore: true, rev: true, offset: 0, count: 2 })).toEqual([
      "post:4999",
      "post:4998",
    ]);
  });
});

describe("wire protocol", () => {
  it("base64-encodes every string of a result only when asked, never numbers, nulls or errors", async () => {
    expect(await raw(["set", key("enc"), "héllo 🐦"])).toMatchObject({ status: 200, json: { result: "OK" } });
    expect((await raw(["set", key("enc"), "héllo 🐦"], { base64: true })).json).toEqual({ result: "T0s=" });
    expect((await raw(["get", key("enc")], { base64: true })).json).toEqual({ result: b64("héllo 🐦") });
    expect((await raw(["get", key("enc")])).json).toEqual({ result: "héllo 🐦" });
    expect((await raw(["get", key("nothing")], { base64: true })).json).toEqual({ result: null });
    expect((await raw(["incr", key("enc-n")], { base64: true })).json).toEqual({ result: 1 });
    // Status replies other than OK are strings too.
    expect((await raw(["ping"], { base64: true })).json).toEqual({ result: b64("PONG") });
    expect((await raw(["type", key("enc")], { base64: true })).json).toEqual({ result: b64("string") });

    const nested = await raw(["eval", "return {'a', 1, {'b', false}}", 0], { base64: true });
    expect(nested.json).toEqual({ result: [b64("a"), 1, [b64("b"), null]] });

    const error = await raw(["incr", key("enc")], { base64: true });
    expect(error).toMatchObject({ status: 400, json: { error: "ERR value is not an integer or out of range" } });

    const pipeline = await raw(
      [["rpush", key("enc-l"), "x", "ÿ"], ["lrange", key("enc-l"), 0, -1], ["incr", key("enc")]],
      { path: "/pipeline", base64: true },
    );
    expect(pipeline).toMatchObject({ status: 200 });
    expect(pipeline.json).toEqual([{ result: 2 }, { result: [b64("x"), b64("ÿ")] }, { error: expect.stringMatching(/^ERR /) }]);
  });

  it("is binary-safe: bytes that are not UTF-8 come back exactly in base64", async () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x0a]);
    await direct.set(key("bin"), bytes);
    const { json } = await raw(["get", key("bin")], { base64: true });
    expect(Buffer.from((json as { result: string }).result, "base64").equals(bytes)).toBe(true);
  });

  it("sends numbers and booleans as their decimal text", async () => {
    expect((await raw(["set", key("num"), 1.5])).json).toEqual({ result: "OK" });
    expect(await direct.get(key("num"))).toBe("1.5");
    expect((await raw(["zadd", key("num-z"), 1e21, "m", -0, "n"])).json).toEqual({ result: 2 });
    expect(await direct.zscore(key("num-z"), "m")).toBe("1e+21");
    expect((await raw(["set", key("bool"), true])).json).toEqual({ result: "OK" });
    expect(await direct.get(key("bool"))).toBe("true");
  });

  it("runs /multi-exec atomically: a command that cannot queue discards the whole transaction", async () => {
    const body = [["set", key("atomic"), "1"], ["nosuchcommand", "x"], ["set", key("atomic-2"), "2"]];
    const multi = await raw(body, { path: "/multi-exec" });
    expect(multi.status).toBe(400);
    expect(multi.json).toEqual({ error: expect.stringMatching(/EXECABORT.*unknown command/) });
    expect(await direct.exists(key("atomic"), key("atomic-2"))).toBe(0);

    // The same commands as a pipeline: the good ones run, the bad one fails alone.
    const pipeline = await raw(body, { path: "/pipeline" });
    expect(pipeline.status).toBe(200);
    expect(pipeline.json).toEqual([{ result: "OK" }, { error: expect.stringMatching(/unknown command/) }, { result: "OK" }]);
    expect(await direct.exists(key("atomic"), key("atomic-2"))).toBe(2);
  });

  it("takes a fan-out pipeline of 6,000 commands (ZADD, ZREMRANGEBYRANK, EXPIRE per follower)", async () => {
    const body: Array<Array<string | number>> = [];
    for (let f = 0; f < 2_000; f++) {
      const timeline = key(`tl:${f}`);
      body.push(["zadd", timeline, 1_700_000_000_000, "post:1"], ["zremrangebyrank", timeline, 0, -801], ["expire", timeline, 600]);
    }
    const { status, json } = await raw(body, { path: "/pipeline", base64: true });
    expect(status).toBe(200);
    expect(json).toHaveLength(6_000);
    expect((json as unknown[]).slice(0, 3)).toEqual([{ result: 1 }, { result: 0 }, { result: 1 }]);
    expect(await direct.ttl(key("tl:1999"))).toBeGreaterThan(590);
  });
});

describe("bad requests", () => {
  const ok = () => raw(["echo", "still alive"]);
  const big = "x".repeat(11 * 1024 * 1024);
  const cases: Array<[string, unknown, RawOptions, number, RegExp]> = [
    ["no Authorization header", ["ping"], { auth: null }, 401, /^Unauthorized$/],
    ["a wrong token", ["ping"], { auth: "Bearer nope" }, 401, /^Unauthorized$/],
    ["the token in another scheme", ["ping"], { auth: `Basic ${token}` }, 401, /^Unauthorized$/],
    ["a token that is only a prefix", ["ping"], { auth: `Bearer ${token.slice(0, -1)}` }, 401, /^Unauthorized$/],
    ["malformed JSON", null, { body: '["get", "k"' }, 400, /not valid JSON/],
    ["an empty body", null, { body: "" }, 400, /not valid JSON/],
    ["an object instead of a command", { cmd: "get" }, {}, 400, /JSON array/],
    ["a bare string", "ping", {}, 400, /JSON array/],
    ["an empty command", [], {}, 400, /JSON array/],
    ["a number as the command name", [1, 2], {}, 400, /command name/],
    ["an object argument", ["set", "k", { a: 1 }], {}, 400, /argument 2/],
    ["a nested array argument", ["set", "k", ["v"]], {}, 400, /argument 2/],
    ["a null argument", ["set", "k", null], {}, 400, /argument 2/],
    ["an unknown command", ["nosuchcommand", "x"], {}, 400, /unknown command/],
    ["wrong arity", ["get"], {}, 400, /wrong number of arguments/],
    ["a pipeline that is not an array", { a: 1 }, { path: "/pipeline" }, 400, /array of commands/],
    ["an empty pipeline", [], { path: "/pipeline" }, 400, /array of commands/],
    ["a pipeline of strings", ["get", "k"], { path: "/pipeline" }, 400, /command 0/],
    ["a pipeline with a bad argument", [["get", "k"], ["set", "k", { a: 1 }]], { path: "/pipeline" }, 400, /command 1/],
    ["an empty transaction", [], { path: "/multi-exec" }, 400, /array of commands/],
    ["an unknown path", ["ping"], { path: "/nope" }, 404, /not found/],
    ["a command in the URL (REST style, not served)", null, { path: "/get/k" }, 404, /not found/],
    ["GET", null, { method: "GET" }, 405, /method not allowed/],
    ["PUT on /pipeline", [["ping"]], { path: "/pipeline", method: "PUT" }, 405, /method not allowed/],
    ["a body over 10 MB", null, { body: JSON.stringify(["set", "k", big]) }, 413, /larger than/],
  ];
  for (const command of [
    ["subscribe", "c"], ["psubscribe", "c*"], ["monitor"], ["blpop", "l", 0], ["BZPOPMIN", "z", 0],
    ["select", 1], ["multi"], ["exec"], ["watch", "k"], ["quit"], ["client", "list"], ["hello", 3],
    ["xread", "block", 0, "streams", "s", "$"], ["wait", 1, 0], ["shutdown"], ["debug", "sleep", 1],
  ]) {
    cases.push([`refused: ${command[0]}`, command, {}, 400, /not supported by the local Redis bridge/]);
  }
  cases.push(["a refused command inside a pipeline", [["ping"], ["subscribe", "c"]], { path: "/pipeline" }, 400, /not supported/]);
  cases.push(["a refused command inside a transaction", [["watch", "k"]], { path: "/multi-exec" }, 400, /not supported/]);

  it.each(cases)("%s → 4xx JSON error, and the bridge still serves", async (_name, payload, opts, status, message) => {
    const res = await raw(payload, opts);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.json).toEqual({ error: expect.stringMatching(message) });
    if (status === 405) expect(res.headers.get("allow")).toBe("POST");
    expect(await ok()).toMatchObject({ status: 200, json: { result: "still alive" } });
  });

  it("the client surfaces a refused command as an error", async () => {
    await expect(redis.exec(["select", "1"])).rejects.toThrow(/not supported/);
  });
});

describe("lifecycle", () => {
  it("refuses to start when Redis is unreachable, with a readable error", async () => {
    const port = await freePort();
    await expect(startRedisBridge({ redisUrl: `redis://127.0.0.1:${port}`, token })).rejects.toThrow(
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/,
    );
  });

  it("answers 503 while Redis is gone instead of hanging, and recovers when it is back", async () => {
    // A TCP hop we can cut: the Redis behind it stays the real one.
    const target = new URL(REDIS_URL);
    const proxy = await startProxy(target.hostname, Number(target.port || 6379));
    const proxied = new URL(REDIS_URL);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const own = await startRedisBridge({ redisUrl: proxied.toString(), token, poolSize: 2 });
    const client = new Redis({ url: own.url, token, retry: false });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(await client.set(key("outage"), "before")).toBe("OK");

      await proxy.stop();
      const started = Date.now();
      const res = await fetch(own.url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
        body: JSON.stringify(["get", key("outage")]),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/Redis is unavailable/) });
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(client.pipeline().get(key("outage")).exec()).rejects.toThrow(/Redis is unavailable/);

      await proxy.start();
      await vi.waitFor(async () => expect(await client.get(key("outage"))).toBe("before"), { timeout: 10_000, interval: 100 });
    } finally {
      warn.mockRestore();
      await own.close();
      await proxy.stop();
    }
  });

  it("answers 504 when Redis stops answering, then recycles the connection and carries on", async () => {
    const target = new URL(REDIS_URL);
    const proxy = await startProxy(target.hostname, Number(target.port || 6379));
    const proxied = new URL(REDIS_URL);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const own = await startRedisBridge({ redisUrl: proxied.toString(), token, poolSize: 1, requestTimeoutMs: 300 });
    const client = new Redis({ url: own.url, token, retry: false });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(await client.set(key("stall"), "before")).toBe("OK");
      proxy.freeze(true);
      const res = await fetch(own.url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
        body: JSON.stringify(["incr", key("stall-n")]),
      });
      expect(res.status).toBe(504);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/did not answer within 300 ms/) });

      // The one connection was replaced: later replies are not matched to the lost ones.
      proxy.freeze(false);
      await vi.waitFor(async () => expect(await client.get(key("stall"))).toBe("before"), { timeout: 10_000, interval: 100 });
      expect(await client.set(key("stall"), "after")).toBe("OK");
      expect(await client.get(key("stall"))).toBe("after");
    } finally {
      warn.mockRestore();
      await own.close();
      await proxy.stop();
    }
  });

  it("close() stops serving, works unbound, and is idempotent", async () => {
    const own = await startRedisBridge({ redisUrl: REDIS_URL, token });
    const client = new Redis({ url: own.url, token, retry: false });
    expect(await client.ping()).toBe("PONG");
    const { close } = own;
    await Promise.all([close(), close()]);
    await expect(fetch(own.url, { method: "POST", body: "[]" })).rejects.toThrow();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A TCP hop to the real Redis that a test can cut (stop) or silence (freeze). */
async function startProxy(host: string, port: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let frozen = false;
  const listenPort = await freePort();
  const proxy = {
    port: listenPort,
    /** Replies from Redis are dropped, as from a server that stopped answering. */
    freeze: (on: boolean) => void (frozen = on),
    start: () =>
      new Promise<void>((resolve, reject) => {
        server = net.createServer((inbound) => {
          const outbound = net.connect(port, host);
          for (const s of [inbound, outbound]) {
            sockets.add(s);
            s.on("error", () => undefined); // cut on purpose
            s.on("close", () => {
              sockets.delete(s);
              inbound.destroy();
              outbound.destroy();
            });
          }
          inbound.pipe(outbound);
          outbound.on("data", (chunk: Buffer) => frozen || inbound.write(chunk));
        });
        server.once("error", reject);
        server.listen(listenPort, "127.0.0.1", () => resolve());
      }),
    stop: async () => {
      for (const s of sockets) s.destroy();
      if (server?.listening) await new Promise((r) => server!.close(r));
    },
  };
  await proxy.start();
  return proxy;
}
