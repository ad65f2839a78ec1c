// The world's live sessions, built server-side like the rest: `liveHosts` ordinary accounts
// (spread over the popularity ranks, no superstar nor the accounts just below them) host
// sessions in every state at the world's clock C, each respecting live_sessions' CHECKs
// (status ↔ times, title 1–100 characters):
//   ended      a Pareto number per host (mean `replaysPerHost`, at least one) over the last
//              `days`: scheduled, started up to 10 min later, 15 min–3 h long, over by C − 50 min;
//   live       about LIVE_SHARE of the hosts, and always the first one: started in the last
//              1.5 h, not ended;
//   upcoming   0, 1 or 2 per host (UPCOMING_ONE, UPCOMING_TWO), scheduled 15 min–14 days after C;
//   cancelled  about CANCELLED_SHARE of the hosts, one each, cancelled before C.
// Every row is created before C, so a benchmark run's own sessions (created after it) are
// told apart and deleted when the world is put back (harness/world-state.ts).
// And the Live tab's viewers: viewer_<n> follows n hosts (every host when there are fewer)
// spread over the host list and nobody else; every viewer follows the first host, who is live.
import type postgres from "postgres";
import type { LiveCounts } from "./meta";
import { FOLLOW_LIMIT, type WorldParams } from "./presets";
import { SALT, paretoInt, paretoScale, type SqlRandom } from "./sql-random";

/** Hosts each Live-tab viewer follows (capped at the hosts there are). */
export const LIVE_VIEWER_FOLLOWS = { follows5: 5, follows50: 50, follows2000: FOLLOW_LIMIT } as const;
export type LiveViewerRole = keyof typeof LIVE_VIEWER_FOLLOWS;
export const LIVE_SHARE = 0.04;
export const UPCOMING_ONE = 0.35;
export const UPCOMING_TWO = 0.1;
export const CANCELLED_SHARE = 0.1;
const REPLAYS_ALPHA = 2;
const REPLAYS_CAP = 60;

const KINDS = ["Live coding", "Q&A", "Office hours", "Listening party", "AMA", "Study with me", "Walkthrough", "Unboxing", "Cooking along", "Late-night chat"];
const TOPICS = ["the new release", "my garden", "street food", "benchmarks", "a tiny bug", "fresh bread", "the weekend hike", "this book", "the city at night", "a new keyboard", "rain again", "my cat"];

/** The hosts `n` viewers follow: n of them spread evenly over the host list, the first host always among them. */
export function viewerFollowees(hosts: readonly number[], n: number): number[] {
  const k = Math.min(n, hosts.length);
  return Array.from({ length: k }, (_, j) => hosts[Math.floor((j * hosts.length) / k)]!).sort((a, b) => a - b);
}

/** Writes every host's sessions (hosts in rank order: the first is live). Returns the counts by state. */
export async function generateLiveSessions(opts: { sql: postgres.Sql; params: WorldParams; rand: SqlRandom; clock: string; hosts: readonly number[] }): Promise<LiveCounts> {
  const { sql, params, rand, clock, hosts } = opts;
  const days = `interval '${params.days} days'`;
  await sql.unsafe(`drop table if exists bench_world_hosts`);
  await sql.unsafe(`create unlogged table bench_world_hosts (i int8 primary key, id int8 not null)`);
  await sql`insert into bench_world_hosts (i, id) select i, id from unnest(${hosts.map(String)}::int8[]) with ordinality as h(id, i)`;
  const u = (key: string, salt: number) => rand.uniform(key, salt);
  const title = (key: string) => `format('%s: %s', ${rand.pick(key, SALT.liveTitle, KINDS)}, ${rand.pick(key, SALT.liveTopic, TOPICS)})`;
  const columns = `host_id, title, status, scheduled_at, started_at, ended_at, cancelled_at, created_at`;

  // Replays, oldest first so ids follow time. Key: host index × 64 + session number.
  const perHost = paretoInt(u("h.i", SALT.liveReplays), paretoScale(params.replaysPerHost, REPLAYS_ALPHA, REPLAYS_CAP), REPLAYS_ALPHA, REPLAYS_CAP);
  await sql.unsafe(`
    insert into live_sessions (${columns})
    select id, title, 'ended', at, at + d1 * interval '10 minutes', at + d1 * interval '10 minutes' + interval '15 minutes' + d2 * interval '165 minutes', null,
           at - interval '1 hour' - d3 * interval '6 days'
    from (
      select h.id, ${title("h.i * 64 + k")} as title,
             ${clock} - interval '4 hours' - ${u("h.i * 64 + k", SALT.liveTime)} * (${days} - interval '4 hours') as at,
             ${u("h.i * 64 + k", SALT.liveStart)} as d1, ${u("h.i * 64 + k", SALT.liveLength)} as d2, ${u("h.i * 64 + k", SALT.liveCreated)} as d3
      from bench_world_hosts h, generate_series(1, ${perHost}) k
    ) s order by at`);

  // Cancelled: created 5–10 days before C, cancelled within 4 days of that; the slot was up to 6 days on.
  await sql.unsafe(`
    insert into live_sessions (${columns})
    select id, title, 'cancelled', created + interval '1 hour' + d1 * interval '6 days', null, null, created + d2 * interval '4 days', created
    from (
      select h.id, ${title("h.i * 64 + 61")} as title, ${clock} - interval '5 days' - ${u("h.i", SALT.liveCreated)} * interval '5 days' as created,
             ${u("h.i", SALT.liveTime)} as d1, ${u("h.i", SALT.liveLength)} as d2
      from bench_world_hosts h where ${u("h.i", SALT.liveCancelled)} < ${CANCELLED_SHARE}
    ) s order by created`);

  // Live now: the first host and about LIVE_SHARE of the others; started by C.
  await sql.unsafe(`
    insert into live_sessions (${columns})
    select id, title, 'live', at, at + d1 * interval '5 minutes', null, null, at - interval '1 hour' - d2 * interval '3 days'
    from (
      select h.id, ${title("h.i * 64 + 62")} as title, ${clock} - interval '5 minutes' - ${u("h.i", SALT.liveStart)} * interval '90 minutes' as at,
             ${u("h.i * 64 + 62", SALT.liveStart)} as d1, ${u("h.i * 64 + 62", SALT.liveCreated)} as d2
      from bench_world_hosts h where h.i = 1 or ${u("h.i", SALT.liveNow)} < ${LIVE_SHARE}
    ) s order by at`);

  // Upcoming: scheduled 15 min to 14 days after C, by sessions created in the week before it.
  await sql.unsafe(`
    insert into live_sessions (${columns})
    select id, title, 'upcoming', at, null, null, null, ${clock} - d1 * interval '7 days'
    from (
      select h.id, ${title("h.i * 64 + 62 + k")} as title,
             ${clock} + interval '15 minutes' + ${u("h.i * 64 + 62 + k", SALT.liveTime)} * interval '14 days' as at,
             ${u("h.i * 64 + 62 + k", SALT.liveCreated)} as d1
      from bench_world_hosts h,
           generate_series(1, case when ${u("h.i", SALT.liveUpcoming)} < ${UPCOMING_TWO} then 2 when ${u("h.i", SALT.liveUpcoming)} < ${UPCOMING_ONE} then 1 else 0 end) k
    ) s order by at`);
  await sql.unsafe(`drop table bench_world_hosts`);

  const rows = await sql<Array<{ status: keyof LiveCounts; n: number }>>`select status, count(*)::int as n from live_sessions group by status`;
  const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<keyof LiveCounts, number>>;
  return { hosts: hosts.length, live: by.live ?? 0, upcoming: by.upcoming ?? 0, ended: by.ended ?? 0, cancelled: by.cancelled ?? 0 };
}
