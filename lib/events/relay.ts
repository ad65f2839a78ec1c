import "server-only";
// Delivers outbox rows (outbox.ts) to Inngest, and deletes each once Inngest has taken it.
//
// Two ways in. `deliver(rows)`: a writer's own rows, right after its commit; writers that
// commit while a send is out wait and go together in the next one, so a burst of posts is
// a few requests, not one each. `sweep()`, on a timer and at start-up: every row that is
// due, i.e. whose delivery failed (retried with backoff up to MAX_BACKOFF_MS, so an event
// arrives within about that long of Inngest being reachable again) or whose writer died
// before delivering it. The relay depends on Postgres only, never on Inngest being up.
//
// A row is claimed by moving its next_attempt_at forward, so two relays (two app
// instances, or a writer and a sweep) do not send it at the same time; should one
// re-send it anyway (its send timed out after Inngest had taken it, say), the row's id is
// the event's id and Inngest drops the repeat.
import { getSql } from "@/db";
import { withTimeout } from "@/lib/with-timeout";
import { inngest } from "./client";

export interface OutboxRow {
  id: string;
  name: string;
  data: unknown;
}

export interface OutboxEventPayload {
  id: string;
  name: string;
  data: Record<string, unknown>;
}

/** Sends events to Inngest; resolves once Inngest has accepted all of them. */
export type EventSender = (events: OutboxEventPayload[]) => Promise<unknown>;

/** A send that has not answered by then counts as failed (a stopped Inngest hangs, it does not refuse). */
const SEND_TIMEOUT_MS = 5_000;
/** Events per send request. */
const BATCH = 100;
const SWEEP_EVERY_MS = 2_000;
/** How long a sweep keeps the rows it took before another relay may take them. */
const SWEEP_CLAIM_MS = 30_000;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

export class OutboxRelay {
  private readonly queue: Array<{ rows: OutboxRow[]; done: () => void }> = [];
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  /** The last send failed: Inngest is unreachable until a send works again. */
  private failing = false;
  private readonly lastLogged = new Map<string, number>();

  constructor(private readonly send: EventSender) {}

  /**
   * False while deliveries are failing: writers then leave their rows to the sweep rather
   * than each wait for a send that is likely to fail.
   */
  get delivering(): boolean {
    return !this.failing;
  }

  /** Delivers rows that were just committed. Never throws; resolves when the attempt is over. */
  deliver(rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0 || this.failing) return Promise.resolve();
    const attempted = new Promise<void>((done) => this.queue.push({ rows: [...rows], done }));
    if (!this.flushing) void this.flush();
    return attempted;
  }

  /** Delivers every due row; resolves with how many were delivered. Never throws. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepDue().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Sweeps now and then every SWEEP_EVERY_MS, until stop(). */
  start(): void {
    if (this.timer) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const groups = [this.queue.shift()!];
        let size = groups[0]!.rows.length;
        while (this.queue.length > 0 && size + this.queue[0]!.rows.length <= BATCH) {
          size += this.queue[0]!.rows.length;
          groups.push(this.queue.shift()!);
        }
        await this.attempt(groups.flatMap((g) => g.rows));
        for (const group of groups) group.done();
      }
    } finally {
      this.flushing = false;
    }
  }

  private async sweepDue(): Promise<number> {
    let delivered = 0;
    try {
      for (;;) {
        const claimed = await getSql()<Array<OutboxRow & { seq: string }>>`
          update outbox_events set next_attempt_at = now() + ${SWEEP_CLAIM_MS}::int * interval '1 millisecond'
          where id in (
            select id from outbox_events where next_attempt_at <= now()
            order by next_attempt_at, seq limit ${BATCH} for update skip locked)
          returning id::text, name, data, seq`;
        if (claimed.length === 0) break;
        // RETURNING has no order: deliver oldest first.
        const rows = claimed.sort((a, b) => Number(a.seq) - Number(b.seq)).map(({ id, name, data }) => ({ id, name, data }));
        if (!(await this.attempt(rows))) break;
        delivered += rows.length;
        if (rows.length < BATCH) break;
      }
    } catch (error) {
      this.report("sweeping the outbox failed", error);
    }
    return delivered;
  }

  /** One send of `rows`; the outcome is written back (deleted, or due again later). */
  private async attempt(rows: OutboxRow[]): Promise<boolean> {
    const ids = rows.map((r) => r.id);
    try {
      await withTimeout(this.send(rows.map((r) => ({ id: r.id, name: r.name, data: r.data as Record<string, unknown> }))), SEND_TIMEOUT_MS);
    } catch (error) {
      this.failing = true;
      this.report("delivering events to Inngest failed; they stay in the outbox and are retried", error);
      await getSql()`
        update outbox_events set attempts = attempts + 1, last_error = ${errorText(error)},
          next_attempt_at = now() + least(${MAX_BACKOFF_MS}::int, ${FIRST_BACKOFF_MS}::int * power(2, least(attempts, 16))::int) * interval '1 millisecond'
        where id = any(${ids}::uuid[])`.catch((e: unknown) => this.report("recording a failed delivery failed", e));
      return false;
    }
    if (this.failing) {
      this.failing = false;
      console.info("[outbox] delivering to Inngest works again");
    }
    // If this fails the rows are sent again once their claim runs out, and Inngest drops the repeats.
    await getSql()`delete from outbox_events where id = any(${ids}::uuid[])`.catch((e: unknown) => this.report("pruning delivered events failed", e));
    return true;
  }

  /** Logs a problem at most once a minute, not on every retry. */
  private report(message: string, error: unknown): void {
    const now = Date.now();
    if (now - (this.lastLogged.get(message) ?? 0) < 60_000) return;
    this.lastLogged.set(message, now);
    console.error(`[outbox] ${message}`, { error: errorText(error) });
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

const globalForRelay = globalThis as unknown as { starlingOutboxRelay?: OutboxRelay };

/** The process's relay, sending through the app's Inngest client. */
export function outboxRelay(): OutboxRelay {
  globalForRelay.starlingOutboxRelay ??= new OutboxRelay((events) => inngest.send(events));
  return globalForRelay.starlingOutboxRelay;
}
