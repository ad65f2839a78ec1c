// `npm run test:cluster` (TEST_REDIS_CLUSTER=1) must really run the suite on a cluster:
// this run's REST endpoint answers from a three-master Redis Cluster and the app splits its
// many-owner scripts by slot. Skipped in an ordinary run.
import { describe, expect, it } from "vitest";
import { redisIsCluster } from "@/lib/redis";

describe.runIf(process.env.TEST_REDIS_CLUSTER === "1")("a run with TEST_REDIS_CLUSTER=1", () => {
  it("talks to a three-master Redis Cluster through the bridge, in cluster mode", async () => {
    const res = await fetch(process.env.UPSTASH_REDIS_REST_URL!, {
      method: "POST",
      headers: { authorization: `Bearer ${process.env.UPSTASH_REDIS_REST_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(["cluster", "info"]),
    });
    const { result } = (await res.json()) as { result: string };
    expect(result).toMatch(/cluster_state:ok/);
    expect(result).toMatch(/cluster_size:3\b/);
    expect(redisIsCluster()).toBe(true);
  });
});
