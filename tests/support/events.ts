// Reads the events lib/ code sent, from the orchestrator the global setup started, and the
// outbox rows that hold them until they are delivered.
import { getSql } from "@/db";

export interface SentEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
}

/** An outbox row's id, which is also its event's id in Inngest. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function sentEvents(name: string): Promise<SentEvent[]> {
  const base = [process.env.INNGEST_BASE_URL, process.env.INNGEST_DEV].find((v) => v && /^https?:/.test(v));
  if (!base) throw new Error("neither INNGEST_BASE_URL nor INNGEST_DEV points at the test orchestrator");
  const res = await fetch(new URL(`/events?name=${encodeURIComponent(name)}`, base));
  return (await res.json()) as SentEvent[];
}

/** The outbox row of an event, if it is still there (undelivered). */
export async function outboxRow(id: string): Promise<{ id: string; name: string; attempts: number } | undefined> {
  const [row] = await getSql()<Array<{ id: string; name: string; attempts: number }>>`select id::text, name, attempts from outbox_events where id = ${id}`;
  return row;
}
