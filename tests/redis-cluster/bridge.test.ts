// The REST bridge in front of a real three-master Redis Cluster that this file starts:
// commands reach the node that owns their slot, a pipeline's replies come back in request
// order, scripts and transactions within one slot work, and across slots they fail with
// CROSSSLOT (loudly, so a key-layout regression cannot hide).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis as IORedis } from "ioredis";
import { keySlot } from "@/lib/redis-slot";
import { startRedisBridge, type RedisBridge } from "../../scripts/local/redis-bridge";
import { parseClusterNodes } from "../../scripts/local/redis-bridge/cluster-pool";
import { startRedisCluster, type LocalRedisCluster } from "../../scripts/local/redis-cluster";

let cluster: LocalRedisCluster;
let bridge: RedisBridge;
let nodes: IORedis[]; // each master straight, for a second opinion
const token = "cluster-test-token";

beforeAll(async () => {
  cluster = await startRedisCluster();
  bridge = await startRedisBridge({ redisUrl: "", clusterNodes: parseClusterNodes(cluster.nodes), token });
  nodes = cluster.ports.map((port) => new IORedis({ port, host: "127.0.0.1", lazyConnect: false }));
}, 60_000);

afterAll(async () => {
  for (const node of nodes ?? []) node.disconnect();
  await bridge?.close();
  await cluster?.stop();
});

// Replies are whatever Redis said: asserted on, never typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(path: "" | "pipeline" | "multi-exec", body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${bridge.url}/${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** The master that holds `key`, asked directly (EXISTS on a node that does not own the slot is MOVED). */
async function ownerOf(key: string): Promise<number> {
  const slot = keySlot(key);
  for (let i = 0; i < nodes.length; i++) {
    const ranges = (await nodes[i]!.call("CLUSTER", "SLOTS")) as Array<[number, number, [string, number]]>;
    const mine = ranges.some(([from, to, [, port]]) => port === cluster.ports[i] && slot >= from && slot <= to);
    if (mine) return i;
  }
  throw new Error(`no node owns slot ${slot}`);
}

describe("the bridge on a Redis Cluster", () => {
  it("computes the same slot as CLUSTER KEYSLOT, hash tags included", async () => {
    const keys = ["tl:{42}", "tl:{42}:lease", "test:x:tl:{42}:pending", "plain", "{}empty", "a{}b{c}", "x{y", "rl:post:{%7Bodd%7D}:7", "日本{語}", ""];
    for (const key of keys) expect(keySlot(key), key).toBe(Number(await nodes[0]!.call("CLUSTER", "KEYSLOT", key)));
  });

  it("splits a pipeline across nodes and answers in request order, errors per command", async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `p:{owner${i}}`);
    const owners = new Set(await Promise.all(keys.map(ownerOf)));
    expect(owners.size).toBe(3); // the pipeline really spans the three masters
    const body = [...keys.map((k, i) => ["set", k, `v${i}`]), ["lpush", keys[3], "x"], ...keys.map((k) => ["get", k]), ["ping"]];
    const { status, body: replies } = await call("pipeline", body);
    expect(status).toBe(200);
    expect(replies.slice(0, 30)).toEqual(keys.map(() => ({ result: "OK" })));
    expect(replies[30].error).toMatch(/^WRONGTYPE/);
    expect(replies.slice(31, 61)).toEqual(keys.map((_, i) => ({ result: `v${i}` })));
    expect(replies[61]).toEqual({ result: "PONG" });
    // Each value is on the node that owns its slot.
    for (const [i, key] of keys.entries()) expect(await nodes[await ownerOf(key)]!.get(key)).toBe(`v${i}`);
  });

  it("runs a script whose keys share a slot, and refuses one whose keys do not with CROSSSLOT", async () => {
    const script = "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); return redis.call('GET', KEYS[2])";
    expect(await call("", ["eval", script, 2, "s:{u1}", "s:{u1}:lease", "ok"])).toEqual({ status: 200, body: { result: "ok" } });
    const [a, b] = ["s:{u1}", "s:{u2}"];
    expect(keySlot(a)).not.toBe(keySlot(b));
    const single = await call("", ["eval", script, 2, a, b, "no"]);
    expect(single.status).toBe(400);
    expect(single.body.error).toMatch(/^CROSSSLOT/);
    const piped = await call("pipeline", [["eval", script, 2, a, b, "no"], ["get", b]]);
    expect(piped.body[0].error).toMatch(/^CROSSSLOT/);
    expect(piped.body[1]).toEqual({ result: null }); // and it did not run
  });

  it("loads a script on every master, so EVALSHA works for keys on any node", async () => {
    const script = "return redis.call('INCR', KEYS[1])";
    const { body: loaded } = await call("", ["script", "load", script]);
    const keys = Array.from({ length: 12 }, (_, i) => `sha:{${i}}`);
    expect(new Set(await Promise.all(keys.map(ownerOf))).size).toBe(3);
    const { body } = await call("pipeline", keys.map((k) => ["evalsha", loaded.result, 1, k]));
    expect(body).toEqual(keys.map(() => ({ result: 1 })));
    expect((await call("", ["script", "exists", loaded.result])).body.result).toEqual([1]);
  });

  it("runs MULTI/EXEC within one slot, and refuses a transaction across slots before anything runs", async () => {
    const ok = await call("multi-exec", [["set", "t:{me}", "1"], ["incr", "t:{me}"], ["get", "t:{me}"]]);
    expect(ok).toEqual({ status: 200, body: [{ result: "OK" }, { result: 2 }, { result: "2" }] });
    const across = await call("multi-exec", [["set", "t:{a}", "1"], ["set", "t:{b}", "1"]]);
    expect(across.status).toBe(400);
    expect(across.body.error).toMatch(/^CROSSSLOT/);
    expect((await call("pipeline", [["exists", "t:{a}"], ["exists", "t:{b}"]])).body).toEqual([{ result: 0 }, { result: 0 }]);
  });

  it("splits DEL, EXISTS and MGET across slots, and walks every master for KEYS, SCAN and DBSIZE", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `w:{${i}}`);
    await call("pipeline", keys.map((k, i) => ["set", k, String(i)]));
    expect((await call("", ["mget", keys[0], "w:{missing}", keys[39]])).body.result).toEqual(["0", null, "39"]);
    expect((await call("", ["exists", ...keys, "w:{missing}"])).body.result).toBe(40);
    expect(((await call("", ["keys", "w:*"])).body.result as string[]).sort()).toEqual([...keys].sort());
    const seen: string[] = [];
    let cursor = "0";
    do {
      const { body } = await call("", ["scan", cursor, "match", "w:*", "count", 5]);
      [cursor] = body.result;
      seen.push(...body.result[1]);
    } while (cursor !== "0");
    expect([...new Set(seen)].sort()).toEqual([...keys].sort());
    const total = (await Promise.all(nodes.map((n) => n.dbsize()))).reduce((a, b) => a + b, 0);
    expect((await call("", ["dbsize"])).body.result).toBe(total);
    expect((await call("", ["del", ...keys])).body.result).toBe(40);
    expect((await call("", ["keys", "w:*"])).body.result).toEqual([]);
  });
});
