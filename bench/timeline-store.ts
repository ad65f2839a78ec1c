// Baseline for the feed's Redis primitive, through the same path the app uses
// (@upstash/redis → REST bridge → redis-server): cursor page reads of a full timeline,
// and pushing one post into many existing timelines. The client and the bridge share this
// process's event loop here, so read figures are a floor, not the app's.
// Run: node --conditions=react-server --import tsx bench/timeline-store.ts
import crypto from "node:crypto";
import { startPrivateRedis } from "../scripts/local/redis-server";
import { startRedisBridge } from "../scripts/local/redis-bridge";
// Imported before anything starts: without --conditions=react-server this fails at once
// and leaves nothing running. The store reads its environment lazily, on first use.
import * as store from "../lib/feed/timeline-store";

const redis = await startPrivateRedis();
const token = crypto.randomBytes(16).toString("hex");
const bridge = await startRedisBridge({ redisUrl: redis.url, token, port: 0 });
Object.assign(process.env, {
  DATABASE_URL: "postgres://unused",
  UPSTASH_REDIS_REST_URL: bridge.url,
  UPSTASH_REDIS_REST_TOKEN: token,
  REDIS_KEY_PREFIX: "bench:",
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function report(name: string, samples: number[], totalMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`${name.padEnd(46)} p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  ${Math.round((samples.length / totalMs) * 1000)}/s`);
}

try {
  // One full timeline (800 entries) per reader.
  const readers = Array.from({ length: 64 }, (_, i) => String(1_000_000 + i));
  const entries = Array.from({ length: 800 }, (_, i) => ({ id: String(10_000 + i), t: 1_700_000_000_000 + i * 1000 }));
  for (const userId of readers) await store.replaceTimeline({ userId, entries, complete: true });

  for (const concurrency of [1, 16, 64]) {
    const samples: number[] = [];
    const perWorker = Math.ceil(2000 / concurrency);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        let after: { t: number; id: string } | undefined;
        for (let i = 0; i < perWorker; i++) {
          const t0 = performance.now();
          const page = await store.readTimeline({ userId: readers[w % readers.length]!, after, limit: 20 });
          samples.push(performance.now() - t0);
          const last = page.state === "cached" ? page.entries.at(-1) : undefined;
          after = last && page.state === "cached" && !page.complete ? { t: last.t, id: last.id } : undefined;
        }
      }),
    );
    report(`readTimeline, 20 per page, concurrency ${concurrency}`, samples, performance.now() - started);
  }

  // Fan-out shape: one post into 1000 existing timelines per call (one EVAL).
  const followers = Array.from({ length: 1000 }, (_, i) => String(2_000_000 + i));
  for (const userId of followers) await store.replaceTimeline({ userId, entries: entries.slice(0, 10), complete: true });
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await store.pushToTimelines({ userIds: followers, entries: [{ id: String(900_000 + i), t: 1_800_000_000_000 + i }] });
    samples.push(performance.now() - t0);
  }
  const total = performance.now() - started;
  report("pushToTimelines, 1 post × 1000 timelines", samples, total);
  console.log(`  = ${Math.round((50 * 1000) / (total / 1000)).toLocaleString("en")} timeline deliveries/s`);
} finally {
  await bridge.close();
  await redis.stop();
}
