// Runs functions the way the Inngest executor does: one run per triggered function, driven
// by calling the app's serve handler until it answers "done" — memoising steps, running
// parallel steps concurrently, retrying with backoff, sleeping, invoking and waiting —
// within concurrency limits, and announcing failures as `inngest/function.failed`. With a
// journal, what it accepts and memoises is recorded, and runs left unfinished by a restart
// resume (from their memoised steps) once the app has synced again.
import { asError, callApp, toError, type CallOutcome, type Op } from "./app-client";
import { evaluateKey } from "./expressions";
import { ExpiringSet, ulid, type EventPayload } from "./intake";
import type { Journal, JournalState, StepResult } from "./journal";
import { Limiter, type Bucket } from "./limiter";
import { concurrencyBuckets, type FunctionDef, type Registry } from "./registry";
import { RunBoard, type RunSummary, type TrackedRun } from "./run-board";
import { delay, EventWaits, parseDuration } from "./waits";

export type { StepResult } from "./journal";
export type { RunSummary } from "./run-board";

export interface RunnerOptions {
  registry: Registry;
  log: (line: string) => void;
  retryBaseMs: number;
  retryMaxMs: number;
  requestTimeoutMs: number;
  /** Cap on simultaneous requests to the app, whatever the functions' own limits. */
  maxConcurrentRequests: number;
  /** Sleeps longer than this do not keep the orchestrator from being "idle". */
  idleSleepHorizonMs: number;
  /** Signs every request to the app (Inngest Cloud's protocol); absent = the dev server's. */
  signingKey?: string;
  /** Durable mode: every accepted event, dispatch, step and end is recorded here. */
  journal?: Journal;
  /** What the journal held at start-up; dispatched and resumed once `resume()` is called. */
  restored?: JournalState;
}

interface Run extends TrackedRun {
  fn: FunctionDef;
  event: EventPayload;
  steps: Record<string, StepResult>;
  /** Hashed step ids in completion order (the SDK's `ctx.stack`). */
  stack: string[];
  buckets: Bucket[];
  version?: number;
  parallel: boolean;
  requests: number;
  abort: AbortController;
  settle: (result: StepResult) => void;
  done: Promise<StepResult>;
}

type OpsOutcome = Extract<CallOutcome, { kind: "ops" }>;

const FAILED_EVENT = "inngest/function.failed";
const FINISHED_EVENT = "inngest/function.finished";
const DAY_MS = 86_400_000;
const MAX_STEPS = 1000; // Inngest's own per-run limit
const MAX_REQUESTS = 5 * MAX_STEPS; // steps, their retries and the discovery calls between them
const MAX_RETRY_AFTER_MS = 60_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const failure = (message: string): StepResult => ({ error: { name: "Error", message } });

export class Runner {
  private readonly runs = new RunBoard<Run>();
  private readonly seenEventIds = new ExpiringSet(DAY_MS, 100_000);
  private readonly idempotencyKeys = new ExpiringSet(DAY_MS, 100_000);
  private readonly limiter = new Limiter();
  private readonly waits = new EventWaits();
  private closed = false;
  /**
   * Durable mode holds events and restored runs until the app has synced: before that the
   * registry is empty, and a run started against an app still booting would burn its retries.
   */
  private held: { events: EventPayload[]; runs: NonNullable<RunnerOptions["restored"]>["runs"] } | undefined;

  constructor(private readonly opts: RunnerOptions) {
    const restored = opts.restored;
    if (restored) {
      for (const [id, expires] of restored.seen) this.seenEventIds.restore(id, expires);
      for (const [key, expires] of restored.idempotencyKeys) this.idempotencyKeys.restore(key, expires);
    }
    if (opts.journal) this.held = { events: [...(restored?.pending ?? [])], runs: [...(restored?.runs ?? [])] };
  }

  /** Unfinished runs, including those held until the app syncs. */
  get activeRuns(): number {
    return this.runs.size + (this.held ? this.held.runs.length + this.held.events.length : 0);
  }

  /**
   * Takes the events whose ids are new (marking them seen) and journals them; the caller
   * awaits `durable()` before acknowledging, then calls `dispatch`.
   */
  accept(events: EventPayload[]): EventPayload[] {
    if (this.closed) return [];
    const fresh = events.filter((event) => this.seenEventIds.add(event.id));
    if (fresh.length > 0) this.opts.journal?.accepted(fresh, Date.now() + DAY_MS);
    return fresh;
  }

  /** Resolves once everything accepted so far is on disk (at once without a journal). */
  durable(): Promise<void> {
    return this.opts.journal?.sync() ?? Promise.resolve();
  }

  /** Wakes matching waitForEvent steps and starts the runs the events trigger. */
  dispatch(events: EventPayload[]): void {
    if (this.held) {
      this.held.events.push(...events);
      return;
    }
    for (const event of events) {
      if (this.closed) return;
      this.waits.deliver(event);
      const fns: FunctionDef[] = [];
      const keys: Array<[string, number]> = [];
      for (const fn of this.opts.registry.triggeredBy(event)) {
        const key = fn.idempotency ? evaluateKey(fn.idempotency, { event }) : undefined;
        if (key !== undefined) {
          if (!this.idempotencyKeys.add(`${fn.id}\n${key}`)) continue;
          keys.push([`${fn.id}\n${key}`, Date.now() + DAY_MS]);
        }
        fns.push(fn);
      }
      this.startRuns(event, fns, keys);
    }
    this.runs.changed();
  }

  /** accept + dispatch, for events the orchestrator makes itself (nobody waits for an ack). */
  ingest(events: EventPayload[]): void {
    this.dispatch(this.accept(events));
  }

  /** The app has synced: dispatch held events and resume held runs against the registry. */
  resume(): void {
    const held = this.held;
    if (!held || this.closed) return;
    this.held = undefined;
    for (const stored of held.runs) {
      const fn = this.opts.registry.get(stored.functionId);
      if (!fn) {
        this.opts.log(`run ${stored.id}: function ${stored.functionId} is no longer served; dropped`);
        this.opts.journal?.runEnded(stored.id);
        continue;
      }
      const run = this.newRun(fn, stored.event, stored.id);
      Object.assign(run.steps, stored.steps);
      run.stack.push(...stored.stack);
      run.version = stored.version;
      run.parallel = stored.parallel ?? false;
      this.runs.add(run);
      void this.drive(run);
    }
    if (held.runs.length > 0) this.opts.log(`resumed ${held.runs.length} unfinished run(s) from the journal`);
    this.dispatch(held.events);
  }

  /** Runs held until the app syncs are pending work too. */
  async waitForIdle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.held && this.held.events.length + this.held.runs.length > 0) {
      if (Date.now() >= deadline || this.closed) return false;
      await delay(Math.min(50, deadline - Date.now()));
    }
    return this.runs.waitForIdle(Math.max(0, deadline - Date.now()));
  }

  /** Active runs first, then the most recent finished ones. */
  summaries(): RunSummary[] {
    return this.runs.summaries();
  }

  getRun(id: string): { events: EventPayload[]; steps: Record<string, StepResult> } | undefined {
    const run = this.runs.get(id);
    return run && { events: [run.event], steps: run.steps };
  }

  /** Stops every run. With a journal, unfinished runs stay recorded and resume at the next start. */
  close(): void {
    this.closed = true;
    for (const run of this.runs.all()) {
      run.status = "cancelled";
      this.end(run, failure("the orchestrator closed"));
    }
  }

  /** Creates runs of `fns` for `event`, journals them as one record, then drives them. */
  private startRuns(event: EventPayload, fns: FunctionDef[], keys: Array<[string, number]>): Run[] {
    const runs = fns.map((fn) => this.newRun(fn, event));
    this.opts.journal?.dispatched(event.id, runs.map((run) => ({ id: run.id, fn: run.fn.id })), keys);
    for (const run of runs) {
      this.runs.add(run);
      void this.drive(run);
    }
    return runs;
  }

  private newRun(fn: FunctionDef, event: EventPayload, id = ulid()): Run {
    let settle: (result: StepResult) => void = () => {};
    const done = new Promise<StepResult>((resolve) => (settle = resolve));
    return {
      id,
      functionId: fn.id,
      eventName: event.name,
      eventId: event.id,
      status: "running",
      startedAt: Date.now(),
      fn,
      event,
      steps: {},
      stack: [],
      buckets: [{ key: "*", limit: this.opts.maxConcurrentRequests }, ...concurrencyBuckets(fn, event)],
      parallel: false,
      requests: 0,
      activeOps: 0,
      parkedOps: 0,
      abort: new AbortController(),
      settle,
      done,
    };
  }

  private async drive(run: Run): Promise<void> {
    try {
      let attempt = 0;
      while (this.live(run)) {
        const outcome = await this.request(run, "step", attempt);
        if (!this.live(run)) return;
        if (outcome.kind === "complete") return this.finish(run, { data: outcome.data });
        if (outcome.kind === "error") {
          if (!(await this.backoff(run, attempt, outcome))) return this.finish(run, { error: outcome.error });
          attempt++;
          continue;
        }
        await this.handleOps(run, outcome, attempt);
        attempt = 0; // Inngest resets the attempt counter whenever a step completes
      }
    } catch (error) {
      this.finish(run, { error: toError(error) });
    }
  }

  private async handleOps(run: Run, outcome: OpsOutcome, attempt: number): Promise<void> {
    if (outcome.ops.length > 1) run.parallel = true;
    await Promise.all(
      outcome.ops.map(async (op) => {
        run.activeOps++;
        try {
          await this.handleOp(run, op, outcome, attempt);
        } finally {
          run.activeOps--;
          this.runs.changed();
        }
      }),
    );
  }

  private async handleOp(run: Run, op: Op, outcome: OpsOutcome, attempt: number): Promise<void> {
    switch (op.op) {
      case "StepRun":
        return this.memo(run, op.id, { data: op.data ?? null });
      case "StepFailed":
        return this.memo(run, op.id, { error: asError(op.error) });
      case "StepError":
        // The SDK ran the step straight away and it threw: retry just that step.
        if (await this.backoff(run, attempt, { retriable: !outcome.noRetry, retryAfterMs: outcome.retryAfterMs })) {
          return this.runStep(run, op.id, attempt + 1);
        }
        return this.memo(run, op.id, { error: asError(op.error) });
      case "StepPlanned":
        return this.runStep(run, op.id, 0);
      case "Sleep":
        return this.sleep(run, op);
      case "InvokeFunction":
        return this.invoke(run, op);
      case "WaitForEvent":
        return this.waitForEvent(run, op);
      case "RunComplete":
        return this.finish(run, { data: op.data ?? null });
      default:
        return this.finish(run, failure(`step "${op.displayName ?? op.id}" uses ${op.op}, which the local orchestrator does not support`));
    }
  }

  /** Executes one planned step (`stepId=<hash>`), retrying it until it succeeds or fails for good. */
  private async runStep(run: Run, hash: string, attempt: number): Promise<void> {
    while (this.live(run)) {
      const outcome = await this.request(run, hash, attempt);
      if (!this.live(run)) return;
      if (outcome.kind === "complete") return this.finish(run, { data: outcome.data });
      if (outcome.kind === "error") {
        if (!(await this.backoff(run, attempt, outcome))) return this.finish(run, { error: outcome.error });
        attempt++;
        continue;
      }
      const own = outcome.ops.find((op) => op.id === hash);
      if (!own || !["StepRun", "StepError", "StepFailed"].includes(own.op)) return this.handleOps(run, outcome, attempt);
      if (own.op === "StepRun") return this.memo(run, hash, { data: own.data ?? null });
      if (own.op === "StepError" && (await this.backoff(run, attempt, { retriable: !outcome.noRetry, retryAfterMs: outcome.retryAfterMs }))) {
        attempt++;
        continue;
      }
      // Exhausted or non-retriable: memoise the error so the function sees the step throw.
      return this.memo(run, hash, { error: asError(own.error) });
    }
  }

  private async sleep(run: Run, op: Op): Promise<void> {
    const ms = parseDuration(op.name);
    if (ms === undefined) return this.finish(run, failure(`step.sleep: unreadable duration "${String(op.name)}"`));
    await this.parked(run, ms > this.opts.idleSleepHorizonMs, () => delay(ms, run.abort.signal));
    this.memo(run, op.id, { data: null });
  }

  private async invoke(run: Run, op: Op): Promise<void> {
    const opts = op.opts ?? {};
    const target = this.opts.registry.get(String(opts.function_id ?? ""));
    if (!target) return this.memo(run, op.id, failure(`step.invoke: function "${String(opts.function_id)}" is not registered`));
    const payload = isRecord(opts.payload) ? opts.payload : {};
    const [invocation] = this.accept([
      {
        id: ulid(),
        name: "inngest/function.invoked",
        data: isRecord(payload.data) ? payload.data : {},
        ts: Date.now(),
        ...(typeof payload.v === "string" ? { v: payload.v } : {}),
      },
    ]);
    if (!invocation) return; // closed meanwhile
    const [child] = this.startRuns(invocation, [target], []);
    this.runs.changed();
    const timeoutMs = parseDuration(opts.timeout);
    const stopTimer = new AbortController();
    const timedOut = timeoutMs === undefined ? [] : [delay(timeoutMs, stopTimer.signal).then(() => failure(`step.invoke timed out after ${String(opts.timeout)}`))];
    const result = await Promise.race([child!.done, ...timedOut]);
    stopTimer.abort();
    this.memo(run, op.id, result);
  }

  private async waitForEvent(run: Run, op: Op): Promise<void> {
    const opts = op.opts ?? {};
    let condition;
    try {
      condition = EventWaits.compile(opts.if);
    } catch (error) {
      return this.finish(run, failure(`step.waitForEvent: condition "${String(opts.if)}" is not supported locally (${String(error)})`));
    }
    const timeoutMs = parseDuration(opts.timeout) ?? DAY_MS;
    const event = await this.parked(run, true, () =>
      this.waits.wait({ eventName: String(op.name ?? ""), condition, trigger: run.event, timeoutMs, signal: run.abort.signal }),
    );
    this.memo(run, op.id, { data: event });
  }

  private async request(run: Run, stepId: string, attempt: number): Promise<CallOutcome> {
    if (++run.requests > MAX_REQUESTS) throw new Error(`run made more than ${MAX_REQUESTS} requests; stopped`);
    const release = await this.limiter.acquire(run.buckets, run.abort.signal);
    try {
      const url = new URL(run.fn.stepUrl);
      url.searchParams.set("stepId", stepId);
      const body = {
        event: run.event,
        events: [run.event],
        steps: run.steps,
        // No fn_id: without it the SDK stays in plain async mode and never calls checkpoint APIs.
        ctx: {
          run_id: run.id,
          attempt,
          max_attempts: run.fn.maxAttempts,
          disable_immediate_execution: run.parallel,
          use_api: false,
          stack: { stack: run.stack, current: run.stack.length },
        },
        version: run.version ?? -1,
      };
      const { outcome, version } = await callApp({
        url: url.href,
        body,
        version: run.version,
        runId: run.id,
        signingKey: this.opts.signingKey,
        timeoutMs: this.opts.requestTimeoutMs,
        signal: run.abort.signal,
      });
      if (version !== undefined) run.version = version;
      return outcome;
    } finally {
      release();
    }
  }

  /** Waits out the backoff when another attempt is allowed; false when the error is final. */
  private async backoff(run: Run, attempt: number, outcome: { retriable: boolean; retryAfterMs?: number }): Promise<boolean> {
    if (!outcome.retriable || attempt + 1 >= run.fn.maxAttempts || !this.live(run)) return false;
    const exponential = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    await delay(outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS) : exponential, run.abort.signal);
    return this.live(run);
  }

  private async parked<T>(run: Run, parked: boolean, wait: () => Promise<T>): Promise<T> {
    if (parked) run.parkedOps++;
    this.runs.changed();
    try {
      return await wait();
    } finally {
      if (parked) run.parkedOps--;
    }
  }

  private memo(run: Run, hash: string, result: StepResult): void {
    if (!this.live(run) || Object.hasOwn(run.steps, hash)) return;
    if (run.stack.length >= MAX_STEPS) return this.finish(run, failure(`run exceeded ${MAX_STEPS} steps`));
    run.steps[hash] = result;
    run.stack.push(hash);
    this.opts.journal?.stepDone(run.id, hash, result, { version: run.version, parallel: run.parallel });
  }

  private finish(run: Run, result: StepResult): void {
    if (!this.live(run)) return;
    const failed = "error" in result;
    run.status = failed ? "failed" : "completed";
    this.end(run, result);
    const base = { function_id: run.fn.id, run_id: run.id, event: run.event };
    if (failed) {
      this.opts.log(`run ${run.id} of ${run.fn.id} failed: ${result.error.message}`);
      // A failing onFailure handler must not trigger another failure event.
      if (run.event.name !== FAILED_EVENT) this.emit(FAILED_EVENT, { ...base, error: result.error });
    }
    if (this.opts.registry.listensTo(FINISHED_EVENT)) {
      this.emit(FINISHED_EVENT, failed ? { ...base, error: result.error } : { ...base, result: result.data });
    }
  }

  private end(run: Run, result: StepResult): void {
    // A run cancelled by close() is unfinished work: the journal keeps it for the next start.
    if (!this.closed) this.opts.journal?.runEnded(run.id);
    run.endedAt = Date.now();
    if ("error" in result) run.error = result.error;
    else run.output = result.data;
    run.abort.abort();
    this.runs.retire(run);
    run.settle(result);
  }

  private emit(name: string, data: Record<string, unknown>): void {
    this.ingest([{ id: ulid(), name, data, ts: Date.now() }]);
  }

  private live(run: Run): boolean {
    return run.status === "running" && !this.closed;
  }

}
