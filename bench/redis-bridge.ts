// Throughput of the local Upstash bridge for fan-out-shaped pipelines (1,000 ZADDs, one per
// follower timeline): through the app's client (@upstash/redis), as a bare HTTP request (the
// bridge's own cost), and with ioredis straight to Redis. Run: npx tsx bench/redis-bridge.ts
// (REDIS_URL, default redis://127.0.0.1:6379; BENCH_ROUNDS, default 100).
import { randomUUID } from "node:crypto";
import { Redis as IORedis } from "ioredis";
import { Redis } from "@upstash/redis";
import { startRedisBridge } from "../scripts/local/redis-bridge";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PIPELINE = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 100;
const prefix = `bench:redis-bridge:${randomUUID()}:`;
const timeline = (follower: number) => `${prefix}tl:${follower}`;

let post = 0;

async function viaBridge(redis: Redis): Promise<void> {
  const id = ++post;
  const pipeline = redis.pipeline();
  for (let f = 0; f < PIPELINE; f++) pipeline.zadd(timeline(f), { score: id, member: `post:${id}` });
  await pipeline.exec();
}

/** The same pipeline as a prebuilt request body: what the bridge costs without the client. */
async function viaFetch(url: string, token: string): Promise<void> {
  const id = ++post;
  const body = JSON.stringify(Array.from({ length: PIPELINE }, (_, f) => ["zadd", timeline(f), id, `post:${id}`]));
  const res = await fetch(`${url}/pipeline`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Upstash-Encoding": "base64" },
    body,
  });
  if (!res.ok) throw new Error(`bridge answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

async function viaIORedis(redis: IORedis): Promise<void> {
  const id = ++post;
  const pipeline = redis.pipeline();
  for (let f = 0; f < PIPELINE; f++) pipeline.zadd(timeline(f), id, `post:${id}`);
  await pipeline.exec();
}

/** Commands per second over ROUNDS pipelines, `inFlight` of them at a time. */
async function measure(run: () => Promise<void>, inFlight: number): Promise<number> {
  for (let i = 0; i < 5; i++) await run(); // warm sockets and JIT
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < ROUNDS) await run();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (ROUNDS * PIPELINE) / seconds;
}

async function main(): Promise<void> {
  const token = randomUUID();
  const bridge = await startRedisBridge({ redisUrl: REDIS_URL, token });
  const upstash = new Redis({ url: bridge.url, token });
  const direct = new IORedis(REDIS_URL);
  const rows: Array<[string, number]> = [];
  try {
    for (const inFlight of [1, 4]) {
      rows.push([`@upstash/redis -> bridge, ${inFlight} in flight`, await measure(() => viaBridge(upstash), inFlight)]);
      rows.push([`bare fetch     -> bridge, ${inFlight} in flight`, await measure(() => viaFetch(bridge.url, token), inFlight)]);
      rows.push([`ioredis direct,           ${inFlight} in flight`, await measure(() => viaIORedis(direct), inFlight)]);
    }
  } finally {
    const keys = Array.from({ length: PIPELINE }, (_, f) => timeline(f));
    await direct.del(...keys);
    direct.disconnect();
    await bridge.close();
  }

  console.log(`${ROUNDS} pipelines of ${PIPELINE} ZADDs each, Redis at ${new URL(REDIS_URL).host}`);
  for (const [name, perSecond] of rows) {
    console.log(`  ${name}  ${Math.round(perSecond).toLocaleString("en-US").padStart(10)} commands/s`);
  }
  const ratio = (rows[0]![1] / rows[2]![1]).toFixed(2);
  console.log(`  @upstash/redis via bridge / ioredis direct (1 in flight): ${ratio}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
