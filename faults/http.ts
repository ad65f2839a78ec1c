// HTTP as the suite's clients see it: every request has a deadline, its outcome is
// classified (an HTTP status, "timeout" when the deadline passed, "conn" when the
// connection was refused or dropped) and recorded with its latency under a kind
// ("feed", "post", …), and logging in is the Auth.js flow a browser goes through.
export type Outcome = number | "timeout" | "conn";

export interface Response {
  outcome: Outcome;
  body: unknown;
}

interface KindSamples {
  outcomes: Map<string, number>;
  times: number[];
}

/** Status counts and latencies of the requests made while it was the current recorder. */
export class Recorder {
  private readonly byKind = new Map<string, KindSamples>();

  record(kind: string, outcome: Outcome, ms: number): void {
    let samples = this.byKind.get(kind);
    if (!samples) this.byKind.set(kind, (samples = { outcomes: new Map(), times: [] }));
    samples.outcomes.set(String(outcome), (samples.outcomes.get(String(outcome)) ?? 0) + 1);
    samples.times.push(ms);
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }

  /** Requests by outcome ("200", "503", "timeout", …), over every kind or the ones named. */
  outcomes(kinds = this.kinds()): Map<string, number> {
    const total = new Map<string, number>();
    for (const kind of kinds) {
      for (const [outcome, n] of this.byKind.get(kind)?.outcomes ?? []) total.set(outcome, (total.get(outcome) ?? 0) + n);
    }
    return new Map([...total].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Nearest-rank p50/p99 in ms over every kind or the ones named. */
  latency(kinds = this.kinds()): { count: number; p50: number; p99: number } {
    const times = kinds.flatMap((kind) => this.byKind.get(kind)?.times ?? []).sort((a, b) => a - b);
    return { count: times.length, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
}

/** Outcomes that mean "the server broke", as opposed to "the server said no" or "busy, retry". */
export function isBreakage(outcome: string): boolean {
  return outcome === "timeout" || (/^5\d\d$/.test(outcome) && outcome !== "503");
}

export interface Client {
  base: string;
  /**
   * Several app instances (`--instances 2`): requests alternate between these origins, so
   * one member's consecutive requests land on different instances. Absent: `base` alone.
   */
  bases?: readonly string[];
  timeoutMs: number;
  /** Where requests are recorded; swapped per phase. None: not recorded (the suite's own checks). */
  recorder?: Recorder;
}

export async function call(
  client: Client,
  req: { kind: string; method?: string; path: string; cookie?: string; json?: unknown },
): Promise<Response> {
  const started = performance.now();
  const outcome = await send(client, req);
  client.recorder?.record(req.kind, outcome.outcome, performance.now() - started);
  // A client whose connection was refused waits a little before its next try, as apps do.
  if (outcome.outcome === "conn") await new Promise((r) => setTimeout(r, 250));
  return outcome;
}

let sent = 0;
/** Requests sent to each origin of a multi-instance client: the run reports them. */
export const requestsByOrigin = new Map<string, number>();
function originOf(client: Client): string {
  if (!client.bases?.length) return client.base;
  const origin = client.bases[sent++ % client.bases.length]!;
  requestsByOrigin.set(origin, (requestsByOrigin.get(origin) ?? 0) + 1);
  return origin;
}

async function send(client: Client, req: { method?: string; path: string; cookie?: string; json?: unknown }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (req.cookie) headers.cookie = req.cookie;
  if (req.json !== undefined) headers["content-type"] = "application/json";
  try {
    const res = await fetch(originOf(client) + req.path, {
      method: req.method ?? "GET",
      headers,
      body: req.json === undefined ? undefined : JSON.stringify(req.json),
      redirect: "manual",
      signal: AbortSignal.timeout(client.timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get("content-type") ?? "").includes("json") && text) body = JSON.parse(text);
    return { outcome: res.status, body };
  } catch (error) {
    const name = (error as Error).name;
    return { outcome: name === "TimeoutError" || name === "AbortError" ? "timeout" : "conn", body: undefined };
  }
}

/** The session cookie a browser gets from the sign-in form (GET csrf, POST the credentials). */
export async function logIn(client: Client, email: string, password: string): Promise<string> {
  const signal = () => AbortSignal.timeout(client.timeoutMs);
  const csrfRes = await fetch(`${client.base}/api/auth/csrf`, { signal: signal() });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = cookiesOf(csrfRes);
  const res = await fetch(`${client.base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password }).toString(),
    redirect: "manual",
    signal: signal(),
  });
  await res.body?.cancel();
  const session = cookiesOf(res).filter((c) => c.startsWith("authjs.session-token"));
  if (session.length === 0) throw new Error(`log-in of ${email} gave no session cookie (status ${res.status})`);
  return session.join("; ");
}

function cookiesOf(res: globalThis.Response): string[] {
  return res.headers.getSetCookie().map((line) => line.split(";")[0]!);
}
