// The app's real /api/inngest route, driven end to end by the local orchestrator:
// event → orchestrator → serve handler → smoke function → Redis. Also: malformed
// requests to the route get 4xx answers instead of the SDK's 500 and stack trace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrchestrator, type Orchestrator } from "@/scripts/local/inngest/orchestrator";
import { serveRoute, type ServedRoute } from "../local/support/serve-route";

let orchestrator: Orchestrator;
let app: ServedRoute;
let route: typeof import("@/app/api/inngest/route");
let inngest: typeof import("@/lib/events/client").inngest;

beforeAll(async () => {
  orchestrator = await startOrchestrator({ port: 0, log: () => {} });
  // The SDK reads INNGEST_DEV when the client is created: set it before importing.
  process.env.INNGEST_DEV = orchestrator.url;
  route = await import("@/app/api/inngest/route");
  ({ inngest } = await import("@/lib/events/client"));
  app = await serveRoute(route);
  const report = await orchestrator.sync(app.url);
  expect(report.functions).toContain("starling-system-ping");
});

afterAll(async () => {
  await orchestrator?.close();
  await app?.close();
});

describe("/api/inngest", () => {
  it("runs the smoke function end to end and writes to Redis", async () => {
    const { getRedis, redisKey } = await import("@/lib/redis");
    const token = `smoke-${Date.now()}`;
    await inngest.send({ name: "system/ping", data: { token } });
    expect(await orchestrator.waitForIdle(15_000)).toBe(true);
    expect(await getRedis().get(redisKey("ping", token))).toBe("pong");
  });

  it.each([
    ["malformed JSON", "?fnId=starling-system-ping&stepId=step", "{not json", 400, "invalid_json"],
    ["an array body", "?fnId=starling-system-ping&stepId=step", "[1,2]", 400, "invalid_body"],
    ["no event", "?fnId=starling-system-ping&stepId=step", '{"steps":{}}', 400, "invalid_body"],
    ["an unknown function", "?fnId=starling-nope&stepId=step", '{"event":{}}', 404, "unknown_function"],
    ["no function id", "", '{"event":{}}', 400, "missing_fn_id"],
  ])("answers %s with a %i and no stack trace", async (_name, query, body, status, code) => {
    const res = await fetch(`${app.url}${query}`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    expect(res.status).toBe(status);
    expect(JSON.parse(text)).toMatchObject({ error: { code } });
    expect(text).not.toContain("stack");
    expect(app.thrown).toEqual([]);
  });

  it("still works after bad requests", async () => {
    const { getRedis, redisKey } = await import("@/lib/redis");
    const token = `after-${Date.now()}`;
    await inngest.send({ name: "system/ping", data: { token } });
    expect(await orchestrator.waitForIdle(15_000)).toBe(true);
    expect(await getRedis().get(redisKey("ping", token))).toBe("pong");
  });
});
