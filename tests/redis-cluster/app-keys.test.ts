// The app's keys and many-owner writes on a real Redis Cluster (started here, behind the
// bridge in cluster mode, whatever Redis the rest of the run uses): every owner's keys
// share a slot, fan-out pushes, position moves, host-set reads and installs, fan-out
// progress and rate limits all work with REDIS_CLUSTER=1, and the same many-owner push
// without the per-slot split fails with CROSSSLOT (so this file fails if the split goes).
// The whole feed suite runs on a cluster with `npm run test:cluster`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { getFeedStats, recordFanoutProgress } from "@/lib/feed/stats";
import { listKey, pushToTimelines, readTimeline, replaceTimeline, setPositions, timelineRef } from "@/lib/feed/timeline-store";
import { ensureHostSets, readHostSets } from "@/lib/live/host-store";
import { enforceRateLimit } from "@/lib/rate-limit";
import { bySlot, hashTag, redisKey } from "@/lib/redis";
import { keySlot } from "@/lib/redis-slot";
import { startRedisBridge, type RedisBridge } from "../../scripts/local/redis-bridge";
import { parseClusterNodes } from "../../scripts/local/redis-bridge/cluster-pool";
import { startRedisCluster, type LocalRedisCluster } from "../../scripts/local/redis-cluster";

let cluster: LocalRedisCluster;
let bridge: RedisBridge;
const saved: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string>) {
  for (const [k, v] of Object.entries(values)) {
    if (!(k in saved)) saved[k] = process.env[k];
    process.env[k] = v;
  }
  resetEnvCache();
}

beforeAll(async () => {
  cluster = await startRedisCluster();
  const token = "app-keys-token";
  bridge = await startRedisBridge({ redisUrl: "", clusterNodes: parseClusterNodes(cluster.nodes), token });
  setEnv({ UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: token, REDIS_CLUSTER: "1", RATE_LIMIT_MULTIPLIER: "1" });
}, 60_000);

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  await bridge?.close();
  await cluster?.stop();
});

let n = 0;
const newIds = (count: number) => Array.from({ length: count }, () => `${Date.now() % 1_000_000}${String(++n).padStart(5, "0")}`);

describe("keys on a Redis Cluster", () => {
  it("tags every key with its owner, so a list and its siblings share a slot", () => {
    for (const kind of ["tl", "ob", "rp", "rq", "lv"]) {
      const slots = new Set([redisKey(kind, "42"), redisKey(kind, "42", "lease"), redisKey(kind, "42", "pending")].map(keySlot));
      expect(slots.size, kind).toBe(1);
    }
    expect(redisKey("tl", "42")).toMatch(/tl:\{42\}$/);
    expect(keySlot(redisKey("tl", "42"))).not.toBe(keySlot(redisKey("tl", "43")));
    // An identifier with braces stays one tag: both windows of a rate limit share a slot.
    expect(hashTag("a}b{")).toBe("{a%7Db%7B}");
    expect(keySlot(`rl:post:${hashTag("a}b")}:1`)).toBe(keySlot(`rl:post:${hashTag("a}b")}:2`));
  });

  it("groups by slot only on a cluster", () => {
    const users = newIds(50);
    const groups = bySlot(users, (u) => listKey(timelineRef(u)));
    expect(groups.length).toBeGreaterThan(40);
    for (const group of groups) expect(new Set(group.map((u) => keySlot(listKey(timelineRef(u))))).size).toBe(1);
    setEnv({ REDIS_CLUSTER: "0" });
    try {
      expect(bySlot(users, (u) => listKey(timelineRef(u)))).toEqual([users]);
    } finally {
      setEnv({ REDIS_CLUSTER: "1" });
    }
  });

  it("pushes one post to many timelines and moves it in all of them, one script per slot", async () => {
    const users = newIds(60);
    await Promise.all(users.map((userId) => replaceTimeline({ userId, entries: [{ id: "10", t: 1_000 }], complete: true })));
    expect(await pushToTimelines({ userIds: users, entries: [{ id: "20", t: 2_000 }] })).toBe(60);
    const moved = await setPositions(users.map((u) => ({ ref: timelineRef(u), updates: [{ id: "20", t: 3_000 }, { id: "10", t: null }] })));
    expect(moved).toEqual(users.map(() => "written"));
    for (const userId of users.slice(0, 5)) {
      expect(await readTimeline({ userId, limit: 10 })).toEqual({ state: "cached", entries: [{ id: "20", t: 3_000 }], complete: true });
    }
  });

  it("fails loudly with CROSSSLOT when the same push is sent as one script across slots", async () => {
    const users = newIds(10);
    setEnv({ REDIS_CLUSTER: "0" });
    try {
      await expect(pushToTimelines({ userIds: users, entries: [{ id: "20", t: 2_000 }] })).rejects.toThrow(/CROSSSLOT/);
    } finally {
      setEnv({ REDIS_CLUSTER: "1" });
    }
  });

  it("installs and reads many hosts' live sets", async () => {
    const hosts = newIds(40);
    expect(await readHostSets(hosts, { goneAfter: 0 })).toEqual(hosts.map(() => null));
    expect(await ensureHostSets(hosts)).toEqual([]);
    expect(await readHostSets(hosts, { goneAfter: 0 })).toEqual(hosts.map(() => []));
  });

  it("records a fan-out's progress and its lag once", async () => {
    const [postId] = newIds(1);
    const at = Date.now() - 50;
    expect(await recordFanoutProgress({ postId: postId!, createdAtMs: at, batch: 0, value: 3 })).toBeNull();
    expect(await recordFanoutProgress({ postId: postId!, createdAtMs: at, batch: "total", value: 2 })).toBeNull();
    const lag = await recordFanoutProgress({ postId: postId!, createdAtMs: at, batch: 1, value: 4 });
    expect(lag).toBeGreaterThanOrEqual(50);
    expect(await recordFanoutProgress({ postId: postId!, createdAtMs: at, batch: 1, value: 4 })).toBeNull();
    const stats = await getFeedStats();
    expect(stats.fanout.samples).toBe(1);
    expect(stats.fanout.deliveries).toBe(7);
  });

  it("rate-limits per identifier (both windows of the sliding limit in one slot)", async () => {
    const [user] = newIds(1);
    for (let i = 0; i < 30; i++) await enforceRateLimit("post", user!);
    await expect(enforceRateLimit("post", user!)).rejects.toMatchObject({ code: "rate_limited" });
    await enforceRateLimit("post", `${user}-other`);
  });
});
