// One row of the fault table: inject the fault with the workload running, heal, settle,
// then check that no acknowledged write was lost and that every feed equals the truth.
import type { Sql } from "postgres";
import type { Fault, FaultContext } from "./faults";
import { checkFeeds, feedOk, type FeedDiff } from "./feed-check";
import { isBreakage, Recorder, type Client } from "./http";
import { findLostWrites } from "./ledger";
import { settle, type Settled } from "./settle";

export interface FaultResult {
  key: string;
  title: string;
  outcomes: Map<string, number>;
  latency: { count: number; p50: number; p99: number };
  settled: Settled;
  feed: FeedDiff;
  lost: string[];
  notes: string[];
  /** Why the row fails; empty when it passes. */
  failures: string[];
}

export async function runPhase(
  fault: Fault,
  ctx: Omit<FaultContext, "note">,
  check: { sql: Sql; client: Client; settleMs: number; log: (line: string) => void },
): Promise<FaultResult> {
  const notes: string[] = [];
  const failures: string[] = [];
  const recorder = new Recorder();
  ctx.work.client.recorder = recorder;
  check.log(`fault: ${fault.title}`);
  try {
    await fault.inject({ ...ctx, note: (line) => (notes.push(line), check.log(`  ${line}`)) });
  } catch (error) {
    failures.push(`the fault could not be run: ${(error as Error).message.split("\n")[0]}`);
  } finally {
    ctx.work.client.recorder = undefined;
  }

  const settled = await settle({ sql: check.sql, orchestratorUrl: ctx.app.orchestratorUrl, timeoutMs: check.settleMs });
  if (!settled.settled) failures.push(`background work did not settle within ${check.settleMs / 1000} s (outbox left: ${settled.outboxLeft ?? "no outbox"})`);
  const lost = await findLostWrites(check.sql, ctx.work.ledger).catch((error: unknown) => {
    failures.push(`the writes could not be checked: ${(error as Error).message}`);
    return [];
  });
  const feed = await checkFeeds(check.sql, check.client, ctx.members).catch((error: unknown): FeedDiff => {
    failures.push(`the feeds could not be checked: ${(error as Error).message}`);
    return { members: ctx.members.length, missing: 0, extra: 0, duplicated: 0, misordered: 0, unreadable: ctx.members.length, examples: [] };
  });

  const outcomes = recorder.outcomes();
  const broken = [...outcomes].filter(([outcome]) => isBreakage(outcome));
  if (broken.length) failures.push(`clients saw ${broken.map(([o, n]) => `${n}× ${o}`).join(", ")}`);
  if (lost.length) failures.push(`${lost.length} acknowledged write(s) lost`);
  if (!feedOk(feed)) failures.push("feeds differ from the truth");
  const result = { key: fault.key, title: fault.title, outcomes, latency: recorder.latency(), settled, feed, lost, notes, failures };
  check.log(`  ${failures.length ? `FAIL: ${failures.join("; ")}` : "ok"}`);
  return result;
}
