// One execution request to the app's serve handler, and what its answer means: ops to act
// on, a finished run, or an error that may be retried. Everything the SDK can answer
// (including network failures and non-SDK responses) ends up as one of those three.
import { canonicalJson, SIGNATURE_HEADER, signatureHeader } from "@/inngest/signature";

export interface Op {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: unknown;
  opts?: Record<string, unknown>;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

export type CallOutcome =
  | { kind: "ops"; ops: Op[]; noRetry: boolean; retryAfterMs?: number }
  | { kind: "complete"; data: unknown }
  | { kind: "error"; retriable: boolean; error: SerializedError; retryAfterMs?: number };

export interface CallResult {
  outcome: CallOutcome;
  /** The execution version the SDK chose; sent back on the run's later requests. */
  version?: number;
}

export async function callApp(opts: {
  url: string;
  body: unknown;
  version?: number;
  runId: string;
  /** Present: sign the request as Inngest Cloud does. */
  signingKey?: string;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<CallResult> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(opts.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-inngest-server-kind": opts.signingKey ? "cloud" : "dev",
        "x-run-id": opts.runId,
        ...(opts.version !== undefined ? { "x-inngest-req-version": String(opts.version) } : {}),
        ...(opts.signingKey ? { [SIGNATURE_HEADER]: signatureHeader(opts.body, opts.signingKey) } : {}),
      },
      // Canonical JSON is what the SDK re-derives from the body before checking the
      // signature; built from parsed JSON only, it cannot be malformed.
      body: canonicalJson(opts.body),
      signal: AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]),
    });
    text = await res.text();
  } catch (error) {
    return { outcome: { kind: "error", retriable: true, error: toError(error, `request to ${opts.url} failed`) } };
  }
  const version = parseVersion(res.headers.get("x-inngest-req-version"));
  if (res.status === 201 && res.headers.get("x-inngest-sdk-handled")) {
    // Streaming mode: heartbeats (spaces) and then the real response as JSON.
    const streamed = parseJson(text.trim()) as { status?: number; headers?: Record<string, string>; body?: string } | undefined;
    if (!streamed || typeof streamed.status !== "number") {
      return { version, outcome: { kind: "error", retriable: true, error: { name: "Error", message: "unreadable streamed response" } } };
    }
    const headers = new Headers(streamed.headers ?? {});
    return { version: parseVersion(headers.get("x-inngest-req-version")) ?? version, outcome: interpret(streamed.status, headers, streamed.body ?? "") };
  }
  return { version, outcome: interpret(res.status, res.headers, text) };
}

function interpret(status: number, headers: Headers, text: string): CallOutcome {
  const noRetry = headers.get("x-inngest-no-retry") === "true";
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"));
  if (status >= 200 && status < 300 && !headers.get("x-inngest-sdk-handled")) {
    return { kind: "error", retriable: true, error: { name: "Error", message: `HTTP ${status} did not come from the Inngest SDK: ${text.slice(0, 200)}` } };
  }
  if (status === 206) {
    const parsed = parseJson(text);
    const list = Array.isArray(parsed) ? parsed : parsed && typeof parsed === "object" ? [parsed] : undefined;
    if (!list || !list.every(isOp)) {
      return { kind: "error", retriable: true, error: { name: "Error", message: `unreadable 206 ops: ${text.slice(0, 200)}` } };
    }
    return { kind: "ops", ops: list, noRetry, retryAfterMs };
  }
  if (status >= 200 && status < 300) {
    return { kind: "complete", data: text === "" ? null : (parseJson(text) ?? null) };
  }
  const body = parseJson(text);
  const error = isErrorLike(body) ? { ...body, name: body.name ?? "Error", message: String(body.message ?? body.error) } : { name: "Error", message: `HTTP ${status}: ${text.slice(0, 500)}` };
  return { kind: "error", retriable: !noRetry, error, retryAfterMs };
}

function isOp(value: unknown): value is Op {
  return typeof value === "object" && value !== null && typeof (value as Op).id === "string" && typeof (value as Op).op === "string";
}

function isErrorLike(value: unknown): value is { name?: string; message?: unknown; error?: unknown } {
  return typeof value === "object" && value !== null && ("message" in value || "error" in value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseVersion(raw: string | null): number | undefined {
  const n = Number(raw);
  return raw !== null && raw !== "" && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `retry-after` as the SDK sends it: whole seconds, or an ISO / HTTP date. */
export function parseRetryAfter(raw: string | null): number | undefined {
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** An op's `error` as the SDK serialised it, or the best error we can make of it. */
export function asError(value: unknown): SerializedError {
  if (typeof value === "object" && value !== null && typeof (value as SerializedError).message === "string") {
    const err = value as SerializedError;
    return { ...err, name: typeof err.name === "string" ? err.name : "Error" };
  }
  return { name: "Error", message: typeof value === "string" ? value : JSON.stringify(value ?? "unknown error") };
}

export function toError(error: unknown, context?: string): SerializedError {
  const message = error instanceof Error ? error.message : String(error);
  return { name: error instanceof Error ? error.name : "Error", message: context ? `${context}: ${message}` : message };
}
