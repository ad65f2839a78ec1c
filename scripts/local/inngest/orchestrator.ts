// A small stand-in for an Inngest server: the HTTP endpoints the SDK talks to (event
// intake, function registration) plus a few for the launcher and tests (/health, /idle,
// /sync). Given a signing key it behaves like Inngest Cloud: it signs every request to the
// app, checks the event key and the SDK's API token, and only calls the configured serve
// origin. Given a journal directory it survives restarts (journal.ts). Runs: runner.ts.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { hashSigningKey, SIGNATURE_HEADER, signatureHeader, verifySignature } from "@/inngest/signature";
import { normaliseEvents, type EventPayload } from "./intake";
import { Journal } from "./journal";
import { appConfigSchema, Registry, type SyncReport } from "./registry";
import { Runner, type RunSummary } from "./runner";

export type { SyncReport } from "./registry";
export type { RunSummary } from "./runner";

export interface Orchestrator {
  url: string;
  /** Asks the app at its serve URL (by default the serve origin's /api/inngest) to sync and registers its functions. */
  sync(appServeUrl?: string): Promise<SyncReport>;
  /** True once no run is queued, executing, retrying or in a short sleep; false on timeout. */
  waitForIdle(timeoutMs?: number): Promise<boolean>;
  /** Active runs, then the most recent finished ones: for tests and diagnostics. */
  runs(): RunSummary[];
  close(): Promise<void>;
}

export interface OrchestratorOptions {
  /** 0 = a random free port. */
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /** First retry delay; doubles per attempt up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  requestTimeoutMs?: number;
  maxConcurrentRequests?: number;
  idleSleepHorizonMs?: number;
  /** Event intake answers 429 beyond this many unfinished runs, so memory stays bounded. */
  maxActiveRuns?: number;
  /** Keep accepted events and unfinished runs here (journal.ts); absent = in memory only. */
  journalDir?: string;
  /**
   * Inngest's signing key (`signkey-<env>-<hex>`): requests to the app are signed with it
   * and the SDK's API calls must carry its hash. Absent = the dev server's unsigned protocol.
   */
  signingKey?: string;
  signingKeyFallback?: string;
  /** When set, POST /e/:key accepts this key only. */
  eventKey?: string;
  /** The only origin function URLs may point at (e.g. http://127.0.0.1:3000). */
  serveOrigin?: string;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_IDLE_WAIT_MS = 300_000;
const SERVE_PATH = "/api/inngest";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startOrchestrator(opts: OrchestratorOptions = {}): Promise<Orchestrator> {
  const log = opts.log ?? ((line: string) => console.log(`[inngest] ${line}`));
  const signingKey = opts.signingKey;
  const serveOrigin = opts.serveOrigin === undefined ? undefined : new URL(opts.serveOrigin).origin;
  const serverKind = signingKey ? "cloud" : "dev";
  const apiTokens = [signingKey, opts.signingKeyFallback].filter((k): k is string => Boolean(k)).map(hashSigningKey);
  const registry = new Registry(log, serveOrigin);
  const opened = opts.journalDir === undefined ? undefined : Journal.open(opts.journalDir, log);
  const runner = new Runner({
    registry,
    log,
    // Quick first retries, then a minute apart: with 20 retries a run outlasts ~10 min of outage.
    retryBaseMs: opts.retryBaseMs ?? 200,
    retryMaxMs: opts.retryMaxMs ?? 60_000,
    requestTimeoutMs: opts.requestTimeoutMs ?? 300_000,
    maxConcurrentRequests: opts.maxConcurrentRequests ?? 32,
    idleSleepHorizonMs: opts.idleSleepHorizonMs ?? 60_000,
    signingKey,
    journal: opened?.journal,
    restored: opened?.state,
  });
  if (opened && (opened.state.runs.length > 0 || opened.state.pending.length > 0)) {
    log(`journal: ${opened.state.runs.length} unfinished run(s) and ${opened.state.pending.length} event(s) to dispatch once the app syncs`);
  }
  const maxActiveRuns = opts.maxActiveRuns ?? 100_000;
  // The SDK's out-of-band sync POSTs to /fn/register while our PUT is still waiting.
  let lastRegistration: SyncReport | undefined;
  // The most recent events received, newest last, for tests and diagnostics (GET /events).
  const recentEvents: EventPayload[] = [];
  const RECENT_EVENTS = 2_000;

  const routes: Record<string, Partial<Record<string, (req: http.IncomingMessage, url: URL) => Promise<unknown>>>> = {
    "/e/:key": {
      POST: async (req, url) => {
        if (opts.eventKey !== undefined && !sameSecret(decodeURIComponent(url.pathname.split("/")[2] ?? ""), opts.eventKey)) {
          throw new HttpError(401, "Event key not found");
        }
        const parsed = normaliseEvents(await readJson(req), header(req, "x-inngest-event-id-seed"));
        if (!parsed.ok) throw new HttpError(400, parsed.error);
        if (runner.activeRuns + parsed.value.length > maxActiveRuns) {
          throw new HttpError(429, `more than ${maxActiveRuns} runs are unfinished; try again later`);
        }
        const fresh = runner.accept(parsed.value);
        // The 200 promises the events will run: only once they are on disk.
        await runner.durable();
        runner.dispatch(fresh);
        recentEvents.push(...parsed.value);
        if (recentEvents.length > RECENT_EVENTS) recentEvents.splice(0, recentEvents.length - RECENT_EVENTS);
        return { ids: parsed.value.map((e) => e.id), status: 200 };
      },
    },
    "/fn/register": {
      POST: async (req) => {
        requireApiToken(req);
        const body = appConfigSchema.safeParse(await readJson(req));
        if (!body.success) throw new HttpError(400, `bad registration: ${body.error.issues[0]?.message ?? "invalid"}`);
        const { url, appName, functions } = body.data;
        lastRegistration = register({ appUrl: url, appId: appName, configs: functions, syncKind: "out_of_band" });
        return { status: 200, modified: true, skipped: false };
      },
    },
    "/sync": {
      POST: async (req) => {
        const body = z.object({ url: z.url() }).safeParse(await readJson(req));
        if (!body.success) throw new HttpError(400, 'expected {"url": "<the app\'s serve URL>"}');
        if (serveOrigin !== undefined && new URL(body.data.url).origin !== serveOrigin) {
          throw new HttpError(400, `only the serve origin ${serveOrigin} can be synced`);
        }
        return sync(body.data.url).catch((error: unknown) => {
          throw new HttpError(502, String(error instanceof Error ? error.message : error));
        });
      },
    },
    "/health": {
      GET: async () => ({ status: "ok", functions: registry.size, pendingRuns: runner.activeRuns }),
    },
    "/idle": {
      GET: async (_req, url) => {
        const raw = Number(url.searchParams.get("timeout") ?? 30_000);
        const timeout = Number.isFinite(raw) ? Math.min(Math.max(raw, 0), MAX_IDLE_WAIT_MS) : 30_000;
        return { idle: await runner.waitForIdle(timeout), pendingRuns: runner.activeRuns };
      },
    },
    "/dev": {
      GET: async () => ({
        kind: "starling-local-orchestrator",
        functions: registry.list().map((fn) => ({ id: fn.id, name: fn.name, triggers: fn.triggers.map((t) => t.event), url: fn.stepUrl })),
        pendingRuns: runner.activeRuns,
      }),
    },
    "/events": {
      GET: async (_req, url) => {
        const name = url.searchParams.get("name");
        return recentEvents.filter((e) => !name || e.name === name);
      },
    },
    "/runs": {
      GET: async () => runner.summaries().slice(0, 100),
    },
    // The SDK fetches run data from these when `use_api` is set; we never set it, but answer anyway.
    "/v0/runs/:id/batch": { GET: async (req, url) => (requireApiToken(req), findRun(url).events) },
    "/v0/runs/:id/actions": { GET: async (req, url) => (requireApiToken(req), findRun(url).steps) },
    // Telemetry the SDK may post (extended traces, run metadata): accepted and dropped.
    "/v1/traces/userland": { POST: async (req) => (requireApiToken(req), accepted(req)) },
    "/v1/runs/:id/metadata": { POST: async (req) => (requireApiToken(req), accepted(req)) },
  };

  /** In signed mode the SDK's API calls carry `Bearer <hash of the signing key>`, as with Inngest Cloud. */
  function requireApiToken(req: http.IncomingMessage): void {
    if (apiTokens.length === 0) return;
    const token = /^Bearer (.+)$/.exec(header(req, "authorization") ?? "")?.[1] ?? "";
    if (!apiTokens.some((expected) => sameSecret(token, expected))) throw new HttpError(401, "authentication failed");
  }

  /** Registers the app's functions, refusing an app served from anywhere but the serve origin. */
  function register(registration: Parameters<Registry["register"]>[0]): SyncReport {
    if (serveOrigin !== undefined && originOf(registration.appUrl) !== serveOrigin) {
      throw new HttpError(400, `the app URL ${registration.appUrl} is not on the serve origin ${serveOrigin}`);
    }
    const report = registry.register(registration);
    // An app that registered nothing (misconfigured, still booting) must not cost held runs their functions.
    if (report.functions.length > 0) runner.resume();
    return report;
  }

  function findRun(url: URL) {
    const id = decodeURIComponent(url.pathname.split("/")[3] ?? "");
    const run = runner.getRun(id);
    if (!run) throw new HttpError(404, `run ${id} is not active`);
    return run;
  }

  async function sync(appServeUrl?: string): Promise<SyncReport> {
    if (appServeUrl === undefined && serveOrigin === undefined) throw new Error("sync: no serve URL given and no serve origin configured");
    const target = new URL(appServeUrl ?? `${serveOrigin}${SERVE_PATH}`);
    if (serveOrigin !== undefined && target.origin !== serveOrigin) throw new Error(`sync: ${target.href} is not on the serve origin ${serveOrigin}`);
    lastRegistration = undefined;
    const body = { url: target.href };
    let res: Response;
    try {
      res = await fetch(target, {
        method: "PUT",
        headers: {
          "content-type": "application/json",
          "x-inngest-sync-kind": "in_band",
          "x-inngest-server-kind": serverKind,
          ...(signingKey ? { [SIGNATURE_HEADER]: signatureHeader(body, signingKey) } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      throw new Error(`sync: could not reach ${target.href} (${error instanceof Error ? error.message : String(error)})`);
    }
    const text = await res.text();
    if (!res.ok) {
      const hint =
        res.status === 401
          ? signingKey
            ? " (does the app have this orchestrator's INNGEST_SIGNING_KEY?)"
            : " (is the app's Inngest client in dev mode, INNGEST_DEV=<this orchestrator's URL>?)"
          : "";
      throw new Error(`sync: ${target.href} answered HTTP ${res.status}${hint}: ${text.slice(0, 300)}`);
    }
    let report: SyncReport | undefined;
    if (res.headers.get("x-inngest-sync-kind") === "in_band") {
      // Like Inngest Cloud, trust an in-band answer only when the app signed it with our key.
      if (signingKey && !verifySignature(res.headers.get(SIGNATURE_HEADER), text, [signingKey, opts.signingKeyFallback])) {
        throw new Error(`sync: the in-band answer from ${target.href} is not signed with this orchestrator's signing key`);
      }
      const answer = appConfigSchema.safeParse(parseJson(text));
      if (!answer.success) throw new Error(`sync: unreadable in-band sync answer from ${target.href}: ${text.slice(0, 300)}`);
      try {
        report = register({ appUrl: answer.data.url, appId: answer.data.app_id, configs: answer.data.functions, syncKind: "in_band" });
      } catch (error) {
        throw new Error(`sync: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else {
      report = lastRegistration;
    }
    if (!report) throw new Error(`sync: ${target.href} answered but never registered (is its Inngest base URL this orchestrator?)`);
    log(`synced ${report.appUrl}: ${report.functions.length} function(s)${report.warnings.length ? `, ${report.warnings.length} warning(s)` : ""}`);
    return report;
  }

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      log(`internal error on ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) send(res, 500, { error: "internal error", status: 500 });
      else res.destroy();
    });
  });
  server.on("clientError", (_error, socket) => socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://orchestrator.local");
    const pattern = Object.keys(routes).find((p) => pathMatches(p, url.pathname));
    const route = pattern ? routes[pattern] : undefined;
    if (!route) {
      const unsupported = /^\/v[01]\//.test(url.pathname);
      const message = unsupported ? `${url.pathname} is an Inngest API the local orchestrator does not implement` : `no route ${url.pathname}`;
      return send(res, unsupported ? 501 : 404, { error: message, status: unsupported ? 501 : 404 });
    }
    res.setHeader("x-inngest-server-kind", serverKind);
    const method = req.method ?? "GET";
    const action = route[method];
    if (!action) {
      res.setHeader("allow", Object.keys(route).join(", "));
      return send(res, 405, { error: `${method} is not allowed on ${url.pathname}`, status: 405 });
    }
    try {
      send(res, 200, await action(req, url));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      send(res, error.status, { error: error.message, status: error.status });
    }
  }

  const port = opts.port ?? 8288;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url,
    sync,
    waitForIdle: (timeoutMs = 30_000) => runner.waitForIdle(timeoutMs),
    runs: () => runner.summaries(),
    close: async () => {
      runner.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await opened?.journal.close();
    },
  };
}

function pathMatches(pattern: string, path: string): boolean {
  const a = pattern.split("/");
  const b = path.split("/");
  return a.length === b.length && a.every((part, i) => part.startsWith(":") ? b[i] !== "" : part === b[i]);
}

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function accepted(req: http.IncomingMessage): Promise<object> {
  await readBody(req);
  return {};
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
