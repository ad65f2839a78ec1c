// Durability: an orchestrator killed with SIGKILL (as when the launcher dies) loses
// nothing it acknowledged. Events it accepted, events functions sent, and runs it had not
// finished come back from its journal when it starts again on the same directory, and run
// once the app has synced; steps already memoised do not run again; event ids it had seen
// are still de-duplicated.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import { Journal } from "@/scripts/local/inngest/journal";
import { localInngestKeys } from "@/scripts/local/services";
import { freePort } from "@/scripts/local/problems";
import { serveRoute, type ServedRoute } from "./support/serve-route";

const keys = localInngestKeys();
const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "starling-journal-"));
let orchestratorPort: number;
let orchestratorUrl: string;
let child: ChildProcess | undefined;
let app: ServedRoute;
const calls: Record<string, number> = {};
const count = (key: string) => (calls[key] = (calls[key] ?? 0) + 1);
const entered: Record<string, () => void> = {};
const reached = (key: string) => new Promise<void>((resolve) => (entered[key] = resolve));
/** Blocks the first call of a step for good: the orchestrator dies while waiting for it. */
const stuck = new Promise<never>(() => {});

beforeAll(async () => {
  orchestratorPort = await freePort();
  orchestratorUrl = `http://127.0.0.1:${orchestratorPort}`;
  const appPort = await freePort();
  const inngest = new Inngest({ id: "journal-test", isDev: false, baseUrl: orchestratorUrl, ...keys, logger: quiet });

  const gated = inngest.createFunction({ id: "gated", triggers: [{ event: "test/gated" }] }, async ({ step }) => {
    const first = await step.run("first", () => count("first"));
    const second = await step.run("second", async () => {
      if (count("second") === 1) {
        entered.second?.();
        await stuck;
      }
      return first + 1;
    });
    return { second };
  });
  const dispatcher = inngest.createFunction({ id: "dispatcher", triggers: [{ event: "test/dispatch" }] }, async ({ step }) => {
    await step.sendEvent("send-batches", [0, 1, 2].map((n) => ({ id: `batch-${n}`, name: "test/batch", data: { n } })));
  });
  const batch = inngest.createFunction({ id: "batch", triggers: [{ event: "test/batch" }] }, async ({ event }) => {
    const n = Number(event.data.n);
    if (count(`batch-${n}`) === 1 && n === 1) {
      entered.batch1?.();
      await stuck;
    }
    return { n };
  });
  const counted = inngest.createFunction({ id: "counted", triggers: [{ event: "test/counted" }] }, async ({ event }) => {
    count(`counted-${String(event.data.tag)}`);
  });

  const { GET, POST, PUT } = serve({ client: inngest, functions: [gated, dispatcher, batch, counted], serveOrigin: `http://127.0.0.1:${appPort}` });
  app = await serveRoute({ GET, POST, PUT }, "/api/inngest", appPort);
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await app?.close();
  fs.rmSync(journalDir, { recursive: true, force: true });
});

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

async function startChild(): Promise<void> {
  const script = path.join(import.meta.dirname, "support", "orchestrator-process.ts");
  const proc = spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      ...process.env,
      ORCHESTRATOR_PORT: String(orchestratorPort),
      ORCHESTRATOR_JOURNAL_DIR: journalDir,
      ORCHESTRATOR_SIGNING_KEY: keys.signingKey,
      ORCHESTRATOR_EVENT_KEY: keys.eventKey,
      ORCHESTRATOR_SERVE_ORIGIN: new URL(app.url).origin,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  const stderr: string[] = [];
  proc.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const lines = readline.createInterface({ input: proc.stdout! });
  await new Promise<void>((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`orchestrator exited (${code}): ${stderr.join("")}`)));
    lines.on("line", (line) => line.startsWith("ready ") && resolve());
  });
}

async function killChild(): Promise<void> {
  const proc = child!;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGKILL");
  await exited;
  child = undefined;
}

async function call(pathname: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${orchestratorUrl}${pathname}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  expect(res.status, `${pathname}: ${res.status}`).toBe(200);
  return res.json();
}

const send = (events: unknown) => call(`/e/${keys.eventKey}`, events);
const sync = () => call("/sync", { url: app.url });
const idle = async () => expect(await call("/idle?timeout=20000")).toMatchObject({ idle: true });

/** Polls the orchestrator until the run of `fn` for event `eventId` has completed (so its end is journaled). */
async function completed(fn: string, eventId: string): Promise<void> {
  for (;;) {
    const runs = (await call("/runs")) as Array<{ functionId: string; eventId: string; status: string }>;
    if (runs.some((r) => r.functionId === `journal-test-${fn}` && r.eventId === eventId && r.status === "completed")) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("an orchestrator killed with SIGKILL", () => {
  it("resumes unfinished runs and dispatches held events from its journal", async () => {
    await startChild();
    await sync();

    const secondReached = reached("second");
    const batchReached = reached("batch1");
    await send([
      { id: "gated-1", name: "test/gated", data: {} },
      { id: "dispatch-1", name: "test/dispatch", data: {} },
      { id: "dup-1", name: "test/counted", data: { tag: "dup" } },
    ]);
    await Promise.all([secondReached, batchReached]);
    await Promise.all([completed("batch", "batch-0"), completed("batch", "batch-2"), completed("counted", "dup-1")]);
    expect(calls).toMatchObject({ first: 1, second: 1, "batch-0": 1, "batch-1": 1, "batch-2": 1, "counted-dup": 1 });

    // Killed mid-run: "second" and batch 1 are in flight.
    await killChild();

    // Started again, but the app has not synced yet: what it accepts now is held, and is
    // journaled too, so a second kill before the sync loses nothing either.
    await startChild();
    await send({ id: "held-1", name: "test/counted", data: { tag: "held" } });
    await killChild();
    expect(calls["counted-held"]).toBeUndefined();

    await startChild();
    await sync();
    await idle();
    expect(calls).toMatchObject({
      first: 1, // memoised before the kill: not run again
      second: 2, // the interrupted step ran again, and finished
      "batch-0": 1,
      "batch-1": 2, // the batch the dispatcher sent before the kill was not lost
      "batch-2": 1,
      "counted-held": 1,
    });
    const runs = (await call("/runs")) as Array<{ functionId: string; eventId: string; status: string; output?: unknown }>;
    expect(runs.find((r) => r.eventId === "gated-1")).toMatchObject({ status: "completed", output: { second: 2 } });

    // Ids seen before the kills are still dropped.
    await send([
      { id: "dup-1", name: "test/counted", data: { tag: "dup" } },
      { id: "batch-0", name: "test/batch", data: { n: 0 } },
    ]);
    await send({ id: "fresh-1", name: "test/counted", data: { tag: "fresh" } });
    await idle();
    expect(calls).toMatchObject({ "counted-dup": 1, "batch-0": 1, "counted-fresh": 1 });
    await killChild();
  });
});

describe("the journal file", () => {
  const event = (id: string) => ({ id, name: "test/journal", data: { id }, ts: 1 });

  it("replays to what is still live, skips a line cut short by a crash, and compacts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "starling-journal-file-"));
    try {
      const future = Date.now() + 60_000;
      const first = Journal.open(dir, () => {}).journal;
      first.accepted([event("done"), event("running"), event("pending")], future);
      first.dispatched("done", [{ id: "run-done", fn: "f" }], []);
      first.dispatched("running", [{ id: "run-1", fn: "f" }], [["f\nkey-1", future]]);
      first.stepDone("run-1", "step-a", { data: 1 }, { version: 2 });
      first.stepDone("run-done", "step-a", { data: 1 }, {});
      first.runEnded("run-done");
      await first.sync();
      // No close(): the process died, in the middle of writing one more record.
      const file = path.join(dir, "journal.jsonl");
      fs.appendFileSync(file, '{"k":"s","r":"run-1","h":"step-b","v":{"da');
      const sizeBefore = fs.statSync(file).size;

      const logs: string[] = [];
      const { journal, state } = Journal.open(dir, (line) => logs.push(line));
      expect(state.pending.map((e) => e.id)).toEqual(["pending"]);
      expect(state.runs).toEqual([
        { id: "run-1", functionId: "f", eventId: "running", event: event("running"), steps: { "step-a": { data: 1 } }, stack: ["step-a"], version: 2 },
      ]);
      expect([...state.seen.keys()].sort()).toEqual(["done", "pending", "running"]);
      expect([...state.idempotencyKeys.keys()]).toEqual(["f\nkey-1"]);
      expect(logs.join("\n")).toMatch(/ignored 1 unreadable line/);
      expect(fs.statSync(file).size).toBeLessThan(sizeBefore);
      await journal.close();

      // The compacted file replays to the same state.
      const again = Journal.open(dir, () => {});
      expect(again.state.runs).toEqual(state.runs);
      expect(again.state.pending).toEqual(state.pending);
      await again.journal.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
