// The app's real /api/inngest route, driven end to end by the local orchestrator in
// signed mode, as `npm start` runs it: event → orchestrator → signed request → serve
// handler → smoke function → Redis. Unsigned, wrongly signed and stale requests are
// refused with 401 before any function runs; a forged Host cannot re-point the
// orchestrator; signed but malformed requests get 4xx answers instead of a stack trace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSigningKey, signatureHeader } from "@/inngest/signature";
import { localInngestKeys } from "@/scripts/local/services";
import { serveRoute, type ServedRoute } from "../local/support/serve-route";
import { startSignedOrchestrator, pointInngestAt, type SignedOrchestrator } from "../local/support/signed-inngest";

let signed: SignedOrchestrator;
let app: ServedRoute;
let restoreEnv = () => {};
let inngest: typeof import("@/lib/events/client").inngest;

beforeAll(async () => {
  signed = await startSignedOrchestrator();
  // The SDK reads its variables when the client is created: set them before importing.
  restoreEnv = pointInngestAt(signed.env);
  const route = await import("@/app/api/inngest/route");
  ({ inngest } = await import("@/lib/events/client"));
  app = await serveRoute(route, "/api/inngest", signed.appPort);
  const report = await signed.orchestrator.sync();
  expect(report.functions).toContain("starling-system-ping");
});

afterAll(async () => {
  await signed?.orchestrator.close();
  await app?.close();
  restoreEnv();
});

const PING = "?fnId=starling-system-ping&stepId=step";

/** An execution request exactly as the orchestrator builds it, for the smoke function. */
function pingExecution(token: string) {
  const event = { id: `ev-${token}`, name: "system/ping", data: { token }, ts: Date.now() };
  return { event, events: [event], steps: {}, ctx: { run_id: `run-${token}`, attempt: 0, max_attempts: 1, disable_immediate_execution: false, use_api: false, stack: { stack: [], current: 0 } }, version: -1 };
}

function post(query: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${app.url}${query}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

async function pinged(token: string): Promise<string | null> {
  const { getRedis, redisKey } = await import("@/lib/redis");
  return getRedis().get(redisKey("ping", token));
}

async function registeredUrls(): Promise<string[]> {
  const dev = (await (await fetch(`${signed.orchestrator.url}/dev`)).json()) as { functions: Array<{ url: string }> };
  return dev.functions.map((fn) => fn.url);
}

describe("/api/inngest", () => {
  it("runs the smoke function end to end, signed, and writes to Redis", async () => {
    const token = `smoke-${Date.now()}`;
    await inngest.send({ name: "system/ping", data: { token } });
    expect(await signed.orchestrator.waitForIdle(15_000)).toBe(true);
    expect(await pinged(token)).toBe("pong");
  });

  it("refuses an unsigned execution with 401 and runs nothing", async () => {
    const token = `unsigned-${Date.now()}`;
    const res = await post(PING, JSON.stringify(pingExecution(token)));
    expect(res.status).toBe(401);
    expect(await pinged(token)).toBeNull();
  });

  it("refuses executions signed with another key, stale or for another body with 401", async () => {
    const token = `forged-${Date.now()}`;
    const body = pingExecution(token);
    const otherKey = localInngestKeys().signingKey;
    const cases = {
      "another key": signatureHeader(body, otherKey),
      "five minutes old": signatureHeader(body, signed.keys.signingKey, Date.now() - 6 * 60_000),
      "another body": signatureHeader(pingExecution(`${token}-x`), signed.keys.signingKey),
      "not a signature": "t=1&s=zz",
    };
    for (const [name, signature] of Object.entries(cases)) {
      const res = await post(PING, JSON.stringify(body), { "x-inngest-signature": signature });
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
    }
    expect(await pinged(token)).toBeNull();
    // The same request, signed with the right key, runs: the refusals were about the signature.
    const res = await post(PING, JSON.stringify(body), { "x-inngest-signature": signatureHeader(body, signed.keys.signingKey) });
    expect(res.status).toBe(206); // the smoke function's step ran
    expect(await pinged(token)).toBe("pong");
  });

  it("answers introspection only when signed", async () => {
    expect((await fetch(app.url)).status).toBe(401);
    const res = await fetch(app.url, { headers: { "x-inngest-signature": signatureHeader("", signed.keys.signingKey) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ authentication_succeeded: true });
  });

  it("refuses unsigned requests before looking at them, whatever they hold", async () => {
    for (const [query, body] of [
      [PING, "{not json"],
      ["?fnId=starling-nope&stepId=step", '{"event":{}}'],
      ["", '{"event":{}}'],
    ] as const) {
      const res = await post(query, body);
      expect({ query, status: res.status }).toEqual({ query, status: 401 });
    }
  });

  it("a sync with a forged Host neither answers nor re-points the orchestrator", async () => {
    const before = await registeredUrls();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((url) => url.startsWith(`${signed.serveOrigin}/api/inngest?`))).toBe(true);
    const forged = { host: "evil.example:4444", "x-forwarded-host": "evil.example:4444", "content-type": "application/json" };

    // Unsigned, out of band (the attack in the issue) and in band: refused.
    expect((await fetch(app.url, { method: "PUT", headers: forged })).status).toBe(401);
    const inBand = JSON.stringify({ url: "http://evil.example:4444/api/inngest" });
    expect((await fetch(app.url, { method: "PUT", headers: { ...forged, "x-inngest-sync-kind": "in_band" }, body: inBand })).status).toBe(401);

    // Even a validly signed sync (a replayed one, say) reports the fixed serve origin, never the Host.
    const body = { url: "http://evil.example:4444/api/inngest" };
    const signedSync = await fetch(app.url, {
      method: "PUT",
      headers: { ...forged, "x-inngest-sync-kind": "in_band", "x-inngest-signature": signatureHeader(body, signed.keys.signingKey) },
      body: JSON.stringify(body),
    });
    expect(signedSync.status).toBe(200);
    expect(((await signedSync.json()) as { url: string }).url).toBe(`${signed.serveOrigin}/api/inngest`);

    // The orchestrator will not register or sync another origin, even with its own API token.
    const token = { authorization: `Bearer ${hashSigningKey(signed.keys.signingKey)}`, "content-type": "application/json" };
    const evil = { url: "http://evil.example:4444/api/inngest", appName: "starling", functions: [] };
    expect((await fetch(`${signed.orchestrator.url}/fn/register`, { method: "POST", body: JSON.stringify(evil) })).status).toBe(401);
    expect((await fetch(`${signed.orchestrator.url}/fn/register`, { method: "POST", headers: token, body: JSON.stringify(evil) })).status).toBe(400);
    expect((await fetch(`${signed.orchestrator.url}/sync`, { method: "POST", body: JSON.stringify({ url: evil.url }) })).status).toBe(400);

    expect(await registeredUrls()).toEqual(before);
    const pingToken = `after-forgery-${Date.now()}`;
    await inngest.send({ name: "system/ping", data: { token: pingToken } });
    expect(await signed.orchestrator.waitForIdle(15_000)).toBe(true);
    expect(await pinged(pingToken)).toBe("pong");
  });

  it("takes events only with its event key", async () => {
    const send = (key: string) => fetch(`${signed.orchestrator.url}/e/${key}`, { method: "POST", body: JSON.stringify({ name: "test/keyed", data: {} }) });
    expect((await send("not-the-key")).status).toBe(401);
    expect((await send(signed.keys.eventKey)).status).toBe(200);
  });

  it.each([
    ["malformed JSON", PING, "{not json", 401, "unauthorized"],
    ["an array body", PING, "[1,2]", 400, "invalid_body"],
    ["no event", PING, '{"steps":{}}', 400, "invalid_body"],
    ["an unknown function", "?fnId=starling-nope&stepId=step", '{"event":{}}', 404, "unknown_function"],
    ["no function id", "", '{"event":{}}', 400, "missing_fn_id"],
  ])("answers signed %s with a 4xx and no stack trace", async (_name, query, body, status, code) => {
    let parsed: unknown = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      // signed as text: no JSON body can match it
    }
    const res = await post(query, body, { "x-inngest-signature": signatureHeader(parsed, signed.keys.signingKey) });
    const text = await res.text();
    expect(res.status).toBe(status);
    expect(JSON.parse(text)).toMatchObject({ error: { code } });
    expect(text).not.toContain("stack");
    expect(app.thrown).toEqual([]);
  });

  it("still works after bad requests", async () => {
    const token = `after-${Date.now()}`;
    await inngest.send({ name: "system/ping", data: { token } });
    expect(await signed.orchestrator.waitForIdle(15_000)).toBe(true);
    expect(await pinged(token)).toBe("pong");
  });
});
