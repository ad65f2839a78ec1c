// Time and waiting: Inngest duration strings, abortable delays, and the runs parked in
// step.waitForEvent until a matching event arrives or their timeout passes.
import { compileExpression, matches, type CompiledExpression } from "./expressions";
import type { EventPayload } from "./intake";
import { nameMatches } from "./registry";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "1m30s"-style durations (what the SDK sends) or an ISO date; milliseconds from now. */
export function parseDuration(value: unknown, now = Date.now()): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return Math.max(0, value);
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length > 0 && parts.map((p) => p[0]).join("") === value.trim()) {
    return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or early (without error) when the signal aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    // setTimeout overflows past ~24.8 days; such waits are effectively forever locally.
    const timer = setTimeout(done, Math.min(ms, 2_147_483_647));
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

interface EventWait {
  eventName: string;
  condition?: CompiledExpression;
  trigger: EventPayload;
  resolve: (event: EventPayload | null) => void;
}

export class EventWaits {
  private readonly waits = new Set<EventWait>();

  /** Compiles the wait's `if` first, so an unsupported expression fails before waiting. */
  static compile(condition: unknown): CompiledExpression | undefined {
    return typeof condition === "string" && condition !== "" ? compileExpression(condition, ["event", "async"]) : undefined;
  }

  /** Resolves with the first matching event, or null after the timeout / on abort. */
  wait(opts: { eventName: string; condition?: CompiledExpression; trigger: EventPayload; timeoutMs: number; signal: AbortSignal }): Promise<EventPayload | null> {
    return new Promise((resolve) => {
      const settled = new AbortController(); // clears the timeout timer once matched
      const entry: EventWait = {
        eventName: opts.eventName,
        condition: opts.condition,
        trigger: opts.trigger,
        resolve: (event) => {
          this.waits.delete(entry);
          settled.abort();
          resolve(event);
        },
      };
      this.waits.add(entry);
      void delay(opts.timeoutMs, AbortSignal.any([opts.signal, settled.signal])).then(() => entry.resolve(null));
    });
  }

  /** `event` is the run's triggering event and `async` the candidate, as in Inngest. */
  deliver(event: EventPayload): void {
    for (const wait of [...this.waits]) {
      if (!nameMatches(wait.eventName, event.name)) continue;
      let ok = true;
      try {
        ok = !wait.condition || matches(wait.condition, { event: wait.trigger, async: event });
      } catch {
        ok = false;
      }
      if (ok) wait.resolve(event);
    }
  }

  get size(): number {
    return this.waits.size;
  }
}
