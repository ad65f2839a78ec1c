// GET /api/health against the real Postgres and Redis of this run and a real orchestrator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { closeDb } from "@/db";
import { resetEnvCache } from "@/lib/env";
import { startRedisBridge, type RedisBridge } from "@/scripts/local/redis-bridge";
import { startOrchestrator, type Orchestrator } from "@/scripts/local/inngest/orchestrator";
import { freePort } from "@/scripts/local/problems";

let orchestrator: Orchestrator;
const saved = { ...process.env };

beforeAll(async () => {
  orchestrator = await startOrchestrator({ port: 0, log: () => {} });
});
afterAll(async () => {
  process.env = saved;
  resetEnvCache();
  await orchestrator.close();
});

function useEnv(overrides: Record<string, string>) {
  process.env = { ...saved, ...overrides };
  resetEnvCache();
}

async function health() {
  const res = await GET();
  return { status: res.status, body: (await res.json()) as { status: string; down: string[]; services: Record<string, { ok: boolean; error?: string; circuit?: string }>; outbox?: { pending: number; oldestSeconds: number } } };
}

describe("GET /api/health", () => {
  it("is 200 when Postgres, Redis and Inngest all answer", async () => {
    useEnv({ INNGEST_DEV: orchestrator.url });
    const { status, body } = await health();
    expect(body.down).toEqual([]);
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.outbox).toEqual({ pending: expect.any(Number), oldestSeconds: expect.any(Number) });
  });

  it("is 200 but degraded, naming Inngest, when the orchestrator is unreachable (background work waits in the outbox)", async () => {
    useEnv({ INNGEST_DEV: `http://127.0.0.1:${await freePort()}` });
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.down).toEqual(["inngest"]);
    expect(body.services.inngest!.error).toBeTruthy();
  });

  it("is 200 but degraded, naming Redis, when Redis stops answering (feeds are served from Postgres)", async () => {
    const bridge: RedisBridge = await startRedisBridge({ redisUrl: process.env.REDIS_URL!, token: "t", port: 0 });
    useEnv({ INNGEST_DEV: orchestrator.url, UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: "t" });
    expect((await health()).status).toBe(200);
    await bridge.close();
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.down).toEqual(["redis"]);
    expect(body.services.redis).toMatchObject({ ok: false, circuit: "closed" }); // one failure does not open it
  });

  it("is 503, down, naming Postgres when Postgres does not answer", async () => {
    useEnv({ INNGEST_DEV: orchestrator.url, DATABASE_URL: `postgres://nobody@127.0.0.1:${await freePort()}/none` });
    await closeDb(); // the client is cached: the next query connects to the URL above
    try {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body.status).toBe("down");
      expect(body.down).toEqual(["postgres"]);
    } finally {
      useEnv({});
      await closeDb();
    }
  });
});
