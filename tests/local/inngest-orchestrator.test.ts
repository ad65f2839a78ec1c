// Contract test: the local orchestrator against the real `inngest/next` serve handler, in
// the SDK's signed (cloud) mode as the app runs. If an SDK upgrade changes the protocol
// (paths, headers, signatures, op names, onFailure wiring), these fail loudly instead of
// the app silently dropping background work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "inngest/next";
import { hashSigningKey, signatureHeader } from "@/inngest/signature";
import { startOrchestrator, type Orchestrator, type SyncReport } from "@/scripts/local/inngest/orchestrator";
import { serveRoute, type RouteModule, type ServedRoute } from "./support/serve-route";
import { APP_ID, createFixtures } from "./support/inngest-fixtures";
import { startSignedOrchestrator, pointInngestAt, type SignedOrchestrator } from "./support/signed-inngest";

let signed: SignedOrchestrator;
let orchestrator: Orchestrator;
let app: ServedRoute;
let fixtures: ReturnType<typeof createFixtures>;
let report: SyncReport;
const logs: string[] = [];

beforeAll(async () => {
  signed = await startSignedOrchestrator({ retryBaseMs: 10, retryMaxMs: 100, log: (line) => logs.push(line) });
  orchestrator = signed.orchestrator;
  fixtures = createFixtures(orchestrator.url, signed.keys);
  const { GET, POST, PUT } = serve({ client: fixtures.inngest, functions: fixtures.functions, serveOrigin: signed.serveOrigin });
  app = await serveRoute({ GET, POST, PUT }, "/api/inngest", signed.appPort);
  report = await orchestrator.sync(app.url);
});

afterAll(async () => {
  await orchestrator?.close();
  await app?.close();
});

const send = (events: Parameters<typeof fixtures.inngest.send>[0]) => fixtures.inngest.send(events);
const settle = async () => expect(await orchestrator.waitForIdle(15_000)).toBe(true);
const runsOf = (fn: string) => orchestrator.runs().filter((run) => run.functionId === `${APP_ID}-${fn}`);
const calls = (key: string) => fixtures.probe.calls[key] ?? 0;

/** A request to the orchestrator; `/e/` and the SDK's API paths carry the keys the SDK would. */
function request(path: string, init: { method?: string; body?: string } = {}) {
  const auth: Record<string, string> = path === "/fn/register" || path.startsWith("/v") ? { authorization: `Bearer ${hashSigningKey(signed.keys.signingKey)}` } : {};
  return fetch(`${orchestrator.url}${path.replace(/^\/e\/key$/, `/e/${signed.keys.eventKey}`)}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...auth },
    body: init.body,
  });
}

describe("sync", () => {
  it("registers every function, including the SDK's generated onFailure handler", () => {
    expect(report.syncKind).toBe("in_band");
    expect(report.functions).toEqual(
      expect.arrayContaining([`${APP_ID}-multi-step`, `${APP_ID}-always-fails`, `${APP_ID}-always-fails-failure`, `${APP_ID}-child`]),
    );
  });

  it("reports the options it cannot honour instead of ignoring them", () => {
    const about = (fn: string) => report.warnings.filter((w) => w.startsWith(`${APP_ID}-${fn}:`));
    expect(about("reported").join("\n")).toMatch(/cron trigger "0 \* \* \* \*"/);
    expect(about("reported").join("\n")).toMatch(/throttle/);
    expect(about("reported").join("\n")).toMatch(/idempotency "event\.data\.ids\[0\]" is not supported/);
    expect(about("multi-step")).toEqual([]);
    expect(logs.some((line) => line.includes("throttle"))).toBe(true);
  });

  it("also accepts the SDK's out-of-band sync (POST /fn/register)", async () => {
    process.env.INNGEST_ALLOW_IN_BAND_SYNC = "0";
    try {
      const again = await orchestrator.sync(app.url);
      expect(again.syncKind).toBe("out_of_band");
      expect(again.functions).toEqual(report.functions);
      expect(again.warnings).toEqual(report.warnings);
    } finally {
      delete process.env.INNGEST_ALLOW_IN_BAND_SYNC;
    }
  });

  it("answers /health with the function count", async () => {
    const health = await (await request("/health")).json();
    expect(health).toMatchObject({ status: "ok", functions: report.functions.length });
  });
});

describe("runs", () => {
  it("memoises steps: each step body runs exactly once", async () => {
    await send({ name: "test/multi-step", data: {} });
    await settle();
    expect([calls("step-a"), calls("step-b"), calls("step-c")]).toEqual([1, 1, 1]);
    expect(runsOf("multi-step")[0]).toMatchObject({ status: "completed", output: { sum: 6 } });
  });

  it("runs parallel steps concurrently and once each", async () => {
    await send({ name: "test/parallel", data: {} });
    await settle();
    expect(runsOf("parallel")[0]).toMatchObject({ status: "completed", output: { results: [0, 10, 20] } });
    expect([calls("part-0"), calls("part-1"), calls("part-2")]).toEqual([1, 1, 1]);
    expect(fixtures.probe.maxActive.parallel).toBeGreaterThanOrEqual(2);
  });

  it("retries a failing step until it succeeds", async () => {
    await send({ name: "test/flaky", data: {} });
    await settle();
    expect(calls("flaky-step")).toBe(3);
    expect(runsOf("flaky")[0]).toMatchObject({ status: "completed", output: "recovered" });
  });

  it("exhausts retries, fails the run and runs onFailure with the error", async () => {
    await send({ name: "test/always-fails", data: { orderId: "o-1" } });
    await settle();
    expect(calls("doomed")).toBe(3); // first attempt + retries: 2
    expect(runsOf("always-fails")[0]).toMatchObject({ status: "failed", error: { message: "boom" } });
    expect(fixtures.probe.failures).toHaveLength(1);
    expect(fixtures.probe.failures[0]).toMatchObject({
      functionId: `${APP_ID}-always-fails`,
      message: "boom",
      originalEvent: { name: "test/always-fails", data: { orderId: "o-1" } },
    });
    expect(runsOf("always-fails-failure")[0]?.status).toBe("completed");
  });

  it("does not retry a NonRetriableError", async () => {
    await send({ name: "test/non-retriable", data: {} });
    await settle();
    expect(calls("refuse")).toBe(1);
    expect(runsOf("non-retriable")[0]).toMatchObject({ status: "failed", error: { message: "nope" } });
  });

  it("retries a function-level error (HTTP 500) as a whole request", async () => {
    await send({ name: "test/throws", data: {} });
    await settle();
    expect(calls("throws")).toBe(2); // first attempt + retries: 1
    expect(runsOf("throws-outside-steps")[0]).toMatchObject({ status: "failed", error: { message: "no step to blame" } });
  });

  it("step.sendEvent reaches the intake and triggers another function", async () => {
    await send({ name: "test/send", data: { n: 7 } });
    await settle();
    expect(fixtures.probe.followUps).toEqual([{ n: 7 }]);
  });

  it("step.sleep waits, then continues the run", async () => {
    await send({ name: "test/sleep", data: {} });
    await settle();
    const run = runsOf("sleeper")[0];
    expect(run?.status).toBe("completed");
    expect((run?.output as { slept: number }).slept).toBeGreaterThanOrEqual(950);
  });

  it("step.invoke runs the other function and returns its value", async () => {
    await send({ name: "test/invoke", data: {} });
    await settle();
    expect(calls("child")).toBe(1);
    expect(runsOf("invoker")[0]).toMatchObject({ status: "completed", output: { doubled: 42 } });
  });

  it("enforces concurrency limits, per function and per key", async () => {
    await send([
      { name: "test/limited-by-user", data: { user: "a" } },
      { name: "test/limited-by-user", data: { user: "a" } },
      { name: "test/limited-by-user", data: { user: "b" } },
      { name: "test/serial", data: {} },
      { name: "test/serial", data: {} },
    ]);
    await settle();
    expect(calls("limited")).toBe(3);
    expect(fixtures.probe.maxActive["limited-a"]).toBe(1);
    expect(fixtures.probe.maxActive["limited-all"]).toBe(2); // user b did not wait for user a
    expect(calls("serial")).toBe(2);
    expect(fixtures.probe.maxActive.serial).toBe(1);
  });

  it("starts one run per idempotency key", async () => {
    await send({ name: "test/idempotent", data: { userId: "u1" } });
    await send({ name: "test/idempotent", data: { userId: "u1" } });
    await send({ name: "test/idempotent", data: { userId: "u2" } });
    await settle();
    expect([calls("idempotent-u1"), calls("idempotent-u2")]).toEqual([1, 1]);
  });

  it("accepts a re-sent event id but triggers nothing new", async () => {
    const event = { id: "dup-1", name: "test/counted", data: { tag: "dup" } };
    const first = await send(event);
    const again = await send([event, event]);
    expect(first.ids).toEqual(["dup-1"]);
    expect(again.ids).toEqual(["dup-1", "dup-1"]);
    await settle();
    expect(calls("counted-dup")).toBe(1);
  });

  it("matches trailing-wildcard triggers", async () => {
    await send({ name: "test/wild/anything", data: { tag: "wild" } });
    await settle();
    expect(calls("counted-wild")).toBe(1);
  });

  it("step.waitForEvent resumes on the matching event only", async () => {
    await send({ name: "test/wait", data: { requestId: "r1" } });
    await settle(); // a run parked in waitForEvent counts as idle
    await send({ name: "test/approved", data: { requestId: "r2", by: "mallory" } });
    await settle();
    expect(runsOf("waiter")[0]?.status).toBe("running");
    await send({ name: "test/approved", data: { requestId: "r1", by: "alice" } });
    await settle();
    expect(runsOf("waiter")[0]).toMatchObject({ status: "completed", output: { approvedBy: "alice" } });
  });

  it("waitForIdle and GET /idle wait for pending work", async () => {
    await send({ name: "test/slow", data: {} });
    expect(await orchestrator.waitForIdle(20)).toBe(false);
    const idle = await (await request("/idle?timeout=10000")).json();
    expect(idle).toMatchObject({ idle: true });
    expect(calls("slow")).toBe(1);
  });
});

describe("bad requests to the orchestrator", () => {
  it("answers 4xx JSON and keeps working", async () => {
    const cases: Array<[string, { method?: string; body?: string }, number]> = [
      ["/e/key", { body: "{not json" }, 400],
      ["/e/key", { body: "{}" }, 400],
      ["/e/key", { body: "[1]" }, 400],
      ["/e/key", { body: JSON.stringify({ name: "x", data: "not an object" }) }, 400],
      ["/e/key", { body: JSON.stringify([{ name: "ok" }, { name: "" }]) }, 400],
      ["/e/key", {}, 405],
      ["/sync", { body: "{}" }, 400],
      ["/fn/register", { body: JSON.stringify({ functions: "nope" }) }, 400],
      ["/no/such/path", {}, 404],
      ["/v1/checkpoint", { body: "{}" }, 501],
    ];
    for (const [path, init, status] of cases) {
      const res = await request(path, init);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(await res.json()).toMatchObject({ error: expect.any(String) });
    }
    const health = await (await request("/health")).json();
    expect(health.status).toBe("ok");
    await send({ name: "test/counted", data: { tag: "after-bad-requests" } });
    await settle();
    expect(calls("counted-after-bad-requests")).toBe(1);
  });
});

describe("an unreachable app", () => {
  it("retries the request with backoff, then fails the run", async () => {
    // Unsigned dev-server protocol, so any app URL may register.
    const devOrchestrator = await startOrchestrator({ port: 0, retryBaseMs: 10, retryMaxMs: 100, log: () => {} });
    try {
      const closed = await serveRoute({});
      await closed.close(); // a port that was just free: nothing listens there now
      const deadUrl = closed.url;
      const config = {
        id: "dead-fn",
        triggers: [{ event: "test/dead" }],
        steps: { step: { id: "step", name: "step", runtime: { type: "http", url: `${deadUrl}?fnId=dead-fn&stepId=step` }, retries: { attempts: 1 } } },
      };
      const post = (path: string, body: unknown) => fetch(`${devOrchestrator.url}${path}`, { method: "POST", body: JSON.stringify(body) });
      expect((await post("/fn/register", { url: deadUrl, appName: "dead", functions: [config] })).status).toBe(200);
      expect((await post("/e/any", { name: "test/dead", data: {} })).status).toBe(200);
      expect(await devOrchestrator.waitForIdle(15_000)).toBe(true);
      const run = devOrchestrator.runs().find((r) => r.functionId === "dead-fn");
      expect(run).toMatchObject({ status: "failed", error: { message: expect.stringContaining(`request to ${deadUrl}`) } });
    } finally {
      await devOrchestrator.close();
    }
  });
});

describe("bad requests to the serve handler", () => {
  /** Signed as the orchestrator signs, so these reach the SDK's own handling of the body. */
  const post = (query: string, body: string) => {
    let parsed: unknown = body;
    try {
      parsed = body === "" ? "" : JSON.parse(body);
    } catch {
      // not JSON: signed as text, which the SDK never gets to check
    }
    const signature = signatureHeader(parsed, signed.keys.signingKey);
    return fetch(`${app.url}?${query}`, { method: "POST", headers: { "content-type": "application/json", "x-inngest-signature": signature }, body });
  };

  it("answers malformed or unknown executions with an error status, without dying", async () => {
    const malformed = await post(`fnId=${APP_ID}-multi-step&stepId=step`, "{not json");
    const unknownFn = await post("fnId=no-such-fn&stepId=step", JSON.stringify({ event: { name: "x", data: {} }, events: [], steps: {}, ctx: { run_id: "r" } }));
    const emptyBody = await post(`fnId=${APP_ID}-multi-step&stepId=step`, "{}");
    const noBody = await post(`fnId=${APP_ID}-multi-step&stepId=step`, "");
    // What the SDK (4.24) does, recorded so an upgrade that changes it is noticed: malformed
    // JSON makes the handler reject rather than answer (Next turns that into a 500; our
    // adapter does the same), the rest are answered by the SDK itself.
    expect(malformed.status).toBe(500);
    expect(app.thrown.map(String)).toEqual([expect.stringContaining("SyntaxError")]);
    expect(unknownFn.status).toBe(500);
    expect((await unknownFn.json()).message).toContain('"no-such-fn" was not found');
    expect(emptyBody.status).toBe(500);
    expect((await emptyBody.json()).message).toContain("Failed to parse data from executor");
    expect(noBody.status).toBe(401);
    // Cloud mode: introspection is signed too.
    expect((await fetch(app.url)).status).toBe(401);
    expect((await fetch(app.url, { headers: { "x-inngest-signature": signatureHeader("", signed.keys.signingKey) } })).status).toBe(200);
    await send({ name: "test/counted", data: { tag: "after-bad-executions" } });
    await settle();
    expect(calls("counted-after-bad-executions")).toBe(1);
  });
});

describe("the app's real route", () => {
  let route: ServedRoute | undefined;
  let own: SignedOrchestrator | undefined;
  let restore = () => {};

  afterAll(async () => {
    await route?.close();
    await own?.orchestrator.close();
    restore();
  });

  it("syncs app/api/inngest/route.ts and registers system-ping", async () => {
    own = await startSignedOrchestrator();
    // The SDK reads its variables when the route's client is created and on each request.
    restore = pointInngestAt(own.env);
    const mod = (await import("@/app/api/inngest/route")) as RouteModule;
    route = await serveRoute(mod, "/api/inngest", own.appPort);
    const appReport = await own.orchestrator.sync();
    expect(appReport.functions).toContain("starling-system-ping");
    expect(appReport.warnings).toEqual([]);
  });
});
