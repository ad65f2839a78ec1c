// Reads the events lib/ code sent, from the orchestrator the global setup started.
export interface SentEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
}

export async function sentEvents(name: string): Promise<SentEvent[]> {
  const base = process.env.INNGEST_DEV;
  if (!base || !/^https?:/.test(base)) throw new Error("INNGEST_DEV does not point at the test orchestrator");
  const res = await fetch(new URL(`/events?name=${encodeURIComponent(name)}`, base));
  return (await res.json()) as SentEvent[];
}
