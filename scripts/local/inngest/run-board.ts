// Which runs exist, the recent finished ones, and whether any of them is busy — the
// bookkeeping behind /health, /idle and Orchestrator.waitForIdle().
import type { SerializedError } from "./app-client";

export interface RunSummary {
  id: string;
  functionId: string;
  eventName: string;
  eventId: string;
  status: "running" | "completed" | "failed" | "cancelled";
  startedAt: number;
  endedAt?: number;
  output?: unknown;
  error?: SerializedError;
}

/** What the board needs from a run: ops in flight, and how many of those are parked. */
export interface TrackedRun extends RunSummary {
  activeOps: number;
  parkedOps: number;
}

const HISTORY = 500;

export class RunBoard<R extends TrackedRun> {
  private readonly active = new Map<string, R>();
  private readonly history: RunSummary[] = [];
  private readonly idleChecks = new Set<() => void>();
  private checkScheduled = false;

  get size(): number {
    return this.active.size;
  }

  get(id: string): R | undefined {
    return this.active.get(id);
  }

  all(): R[] {
    return [...this.active.values()];
  }

  add(run: R): void {
    this.active.set(run.id, run);
  }

  /** Moves a finished run to the (bounded) history. */
  retire(run: R): void {
    this.active.delete(run.id);
    this.history.unshift(summarise(run));
    if (this.history.length > HISTORY) this.history.length = HISTORY;
    this.changed();
  }

  /** Active runs first, then the most recent finished ones. */
  summaries(): RunSummary[] {
    return [...this.all().map(summarise), ...this.history];
  }

  /** Idle: every run left is parked (in a long sleep or a waitForEvent). */
  isIdle(): boolean {
    for (const run of this.active.values()) if (run.activeOps === 0 || run.parkedOps < run.activeOps) return false;
    return true;
  }

  waitForIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleChecks.delete(check);
        resolve(this.isIdle());
      }, timeoutMs);
      const check = () => {
        if (!this.isIdle()) return;
        clearTimeout(timer);
        this.idleChecks.delete(check);
        resolve(true);
      };
      this.idleChecks.add(check);
    });
  }

  /**
   * Call whenever a run may have become idle. Checks run after the current tick, so work a
   * finishing run starts synchronously (onFailure runs, invoked parents) is seen first.
   */
  changed(): void {
    if (this.checkScheduled || this.idleChecks.size === 0) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      for (const check of [...this.idleChecks]) check();
    });
  }
}

function summarise(run: RunSummary): RunSummary {
  const { id, functionId, eventName, eventId, status, startedAt, endedAt, output, error } = run;
  return { id, functionId, eventName, eventId, status, startedAt, endedAt, output, error };
}
