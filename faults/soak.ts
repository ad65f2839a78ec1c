// The soak: `clients` logged-in members, each a client of its own, sending mixed traffic
// (feed reads with paging, posts, follows and unfollows, likes) for `seconds`, no faults.
// Any answer other than a 2xx is an error. Afterwards, as after a fault, no acknowledged
// write may be lost and every feed must equal the truth.
import type { Sql } from "postgres";
import { checkFeeds, feedOk, type FeedDiff } from "./feed-check";
import { Recorder, type Client } from "./http";
import { findLostWrites, type Ledger } from "./ledger";
import type { Rng } from "./rng";
import { settle } from "./settle";
import { createMembers, seedGraph, startTraffic } from "./workload";

export interface SoakResult {
  clients: number;
  seconds: number;
  requests: number;
  outcomes: Map<string, number>;
  perKind: Array<{ kind: string; count: number; p50: number; p99: number }>;
  all: { count: number; p50: number; p99: number };
  errors: number;
  feed: FeedDiff;
  lost: string[];
  failures: string[];
}

export const SOAK_MIX = { feed: 55, post: 20, follow: 10, like: 15 };

export async function soak(
  work: { client: Client; ledger: Ledger; rng: Rng },
  check: { sql: Sql; client: Client; orchestratorUrl: string; settleMs: number; log: (line: string) => void },
  opts: { clients: number; seconds: number },
): Promise<SoakResult> {
  check.log(`soak: ${opts.clients} clients for ${opts.seconds} s`);
  const members = await createMembers(work.client, opts.clients, `s${work.rng.seed % 100_000}`);
  await seedGraph(work, members, { followsEach: 8, postsEach: 2 });

  const recorder = new Recorder();
  work.client.recorder = recorder;
  const started = Date.now();
  // One worker per member: 50 clients in flight at once, each waiting for its answer.
  const traffic = startTraffic(work, members, { workers: opts.clients, maxOps: opts.clients * opts.seconds * 100, mix: SOAK_MIX });
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  await traffic.stop();
  work.client.recorder = undefined;
  const elapsed = (Date.now() - started) / 1000;

  const settled = await settle({ sql: check.sql, orchestratorUrl: check.orchestratorUrl, timeoutMs: check.settleMs });
  const lost = await findLostWrites(check.sql, work.ledger);
  const feed = await checkFeeds(check.sql, check.client, members);

  const outcomes = recorder.outcomes();
  const errors = [...outcomes].filter(([o]) => !/^2\d\d$/.test(o)).reduce((sum, [, n]) => sum + n, 0);
  const failures: string[] = [];
  if (errors) failures.push(`${errors} request(s) answered other than 2xx`);
  if (!settled.settled) failures.push("background work did not settle");
  if (lost.length) failures.push(`${lost.length} acknowledged write(s) lost`);
  if (!feedOk(feed)) failures.push("feeds differ from the truth");
  const all = recorder.latency();
  check.log(`  ${all.count} requests in ${elapsed.toFixed(1)} s; ${failures.length ? `FAIL: ${failures.join("; ")}` : "ok"}`);
  return {
    clients: opts.clients,
    seconds: Math.round(elapsed),
    requests: all.count,
    outcomes,
    perKind: recorder.kinds().map((kind) => ({ kind, ...recorder.latency([kind]) })),
    all,
    errors,
    feed,
    lost,
    failures,
  };
}
