import "server-only";
// The transactional outbox. A domain event is a row written in the same transaction as
// the change it announces, so the event exists exactly when the change committed: never
// for a change that rolled back, never missing for one that committed. After the commit
// the relay (relay.ts) delivers it to Inngest, and keeps trying until Inngest has it.
import { sql } from "drizzle-orm";
import { getDb, getSql, type Tx } from "@/db";
import { outboxEvents } from "@/db/schema";
import { outboxRelay, type OutboxRow } from "./relay";

/** What `eventType(...).create(data)` returns (lib/events/schemas.ts). */
export interface DomainEvent {
  name: string;
  data: Record<string, unknown>;
  validate?: () => Promise<unknown>;
}

/**
 * How long the writer keeps its fresh rows to itself: it delivers them right after the
 * commit, and the sweep takes them only if that did not work out (or the writer died).
 * While deliveries fail, writers do not try, and their rows are due for the sweep at once.
 */
const WRITER_CLAIM_MS = 15_000;

/** Writes `events` to the outbox inside `tx`. */
export async function enqueueEvents(tx: Tx, events: readonly DomainEvent[]): Promise<OutboxRow[]> {
  // A malformed event is a bug: fail the transaction rather than store it.
  for (const event of events) await event.validate?.();
  const claimMs = outboxRelay().delivering ? WRITER_CLAIM_MS : 0;
  return tx
    .insert(outboxEvents)
    .values(events.map((e) => ({ name: e.name, data: e.data, nextAttemptAt: sql`now() + ${claimMs}::int * interval '1 millisecond'` })))
    .returning({ id: outboxEvents.id, name: outboxEvents.name, data: outboxEvents.data });
}

/**
 * Runs `work` in one transaction; the events it publishes are written to the outbox in the
 * same transaction and delivered after the commit. Delivery never throws: once the change
 * has committed the caller succeeds, and an event Inngest did not take stays in the outbox
 * for the relay's sweep.
 */
export async function transactWithEvents<T>(work: (tx: Tx, publish: (event: DomainEvent) => void) => Promise<T>): Promise<T> {
  const events: DomainEvent[] = [];
  let rows: OutboxRow[] = [];
  const result = await getDb().transaction(async (tx) => {
    const value = await work(tx, (event) => void events.push(event));
    if (events.length > 0) rows = await enqueueEvents(tx, events);
    return value;
  });
  if (rows.length > 0) await outboxRelay().deliver(rows);
  return result;
}

export interface OutboxBacklog {
  /** Events not yet delivered to Inngest. */
  pending: number;
  /** How long the oldest of them has waited, in seconds (0 when none). */
  oldestSeconds: number;
}

/** What is waiting in the outbox: for /api/health, and for tests and the fault suite to know background work has settled. */
export async function outboxBacklog(): Promise<OutboxBacklog> {
  const [row] = await getSql()<[{ pending: number; oldest_seconds: number }]>`
    select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest_seconds from outbox_events`;
  return { pending: row.pending, oldestSeconds: Math.round(row.oldest_seconds) };
}
