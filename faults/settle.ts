// Waiting until the app's background work is done before feeds are compared: the
// transactional outbox drained (when the table exists) and the local orchestrator idle,
// twice in a row a couple of seconds apart. Bounded: a run that never settles is reported.
import type { Sql } from "postgres";

export interface Settled {
  settled: boolean;
  ms: number;
  /** Outbox rows still pending at the end (null: no outbox table). */
  outboxLeft: number | null;
}

export async function settle(opts: { sql: Sql; orchestratorUrl: string; timeoutMs: number }): Promise<Settled> {
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  let outboxLeft: number | null = null;
  let quietSince: number | undefined;
  while (Date.now() < deadline) {
    outboxLeft = await pendingOutbox(opts.sql);
    const idle = (outboxLeft ?? 0) === 0 && (await orchestratorIdle(opts.orchestratorUrl, Math.min(5_000, deadline - Date.now())));
    if (!idle) quietSince = undefined;
    else if (quietSince === undefined) quietSince = Date.now();
    else if (Date.now() - quietSince >= 2_000) return { settled: true, ms: Date.now() - started, outboxLeft };
    await new Promise((r) => setTimeout(r, 500));
  }
  return { settled: false, ms: Date.now() - started, outboxLeft };
}

async function pendingOutbox(sql: Sql): Promise<number | null> {
  try {
    const columns = await sql<Array<{ name: string }>>`
      select column_name as name from information_schema.columns where table_name = 'outbox_events'`;
    if (columns.length === 0) return null;
    // Delivered rows are pruned; should they ever be kept, a delivered_at column marks them.
    const kept = columns.some((c) => c.name === "delivered_at");
    const [count] = kept
      ? await sql<Array<{ n: number }>>`select count(*)::int as n from outbox_events where delivered_at is null`
      : await sql<Array<{ n: number }>>`select count(*)::int as n from outbox_events`;
    return count!.n;
  } catch {
    return -1; // Postgres unreachable: not settled
  }
}

async function orchestratorIdle(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`${url}/idle?timeout=${Math.max(0, timeoutMs - 500)}`, { signal: AbortSignal.timeout(timeoutMs + 1_000) });
    return res.ok && ((await res.json()) as { idle?: boolean }).idle === true;
  } catch {
    return false;
  }
}
