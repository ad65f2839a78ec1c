// Each run must really be the kind it says: `npm run test:cluster` (TEST_REDIS_CLUSTER=1)
// talks to a three-master Redis Cluster through the bridge with the app splitting its
// many-owner scripts by slot; an ordinary run talks to one Redis with cluster mode off.
import { expect, it } from "vitest";
import { redisIsCluster } from "@/lib/redis";

async function clusterInfo(): Promise<{ result?: string; error?: string }> {
  const res = await fetch(process.env.UPSTASH_REDIS_REST_URL!, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.UPSTASH_REDIS_REST_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(["cluster", "info"]),
  });
  return (await res.json()) as { result?: string; error?: string };
}

it("talks to the kind of Redis the run says: a three-master cluster with TEST_REDIS_CLUSTER=1, else one Redis", async () => {
  const { result, error } = await clusterInfo();
  if (process.env.TEST_REDIS_CLUSTER === "1") {
    expect(result).toMatch(/cluster_state:ok/);
    expect(result).toMatch(/cluster_size:3\b/);
    expect(redisIsCluster()).toBe(true);
  } else {
    expect(error).toMatch(/cluster support disabled/i);
    expect(redisIsCluster()).toBe(false);
  }
});
