import "server-only";
// Reading sessions from Postgres: one session, and one host's sessions (their profile):
// live (most recent start first), then upcoming (soonest first), then ended (most recent
// end first), keyset-paged phase by phase over the host's partial indexes.
import { getSql } from "@/db";
import type { Page, Position } from "@/lib/cursor";
import { notFound } from "@/lib/errors";
import { atMs } from "@/lib/keyset-sql";
import { requireVisibleUser } from "@/lib/relationships/queries";
import { decodeHostCursor, encodeHostCursor, type HostPhase } from "./cursor";
import { hydrateSessions, type LiveSessionDto } from "./dto";
import { parseSessionId } from "./state";

/** One session as it is now: 404 for an unknown or cancelled one, or one whose host blocked the viewer. */
export async function getSession({ sessionId, viewerId = null }: { sessionId: string; viewerId?: string | null }): Promise<LiveSessionDto> {
  const [session] = await hydrateSessions([parseSessionId(sessionId)], viewerId);
  if (!session) throw notFound("Live session");
  return session;
}

const PHASES: readonly HostPhase[] = ["live", "upcoming", "ended"];

export async function listHostSessions({
  username,
  cursor,
  limit,
  viewerId = null,
  visibleHost,
}: {
  username: string;
  cursor?: string;
  limit: number;
  viewerId?: string | null;
  /** The host, when the caller has looked them up for this viewer already (a profile page). */
  visibleHost?: { id: string };
}): Promise<Page<LiveSessionDto>> {
  const from = decodeHostCursor(cursor);
  const host = visibleHost ?? (await requireVisibleUser({ username, viewerId }));
  const found: Array<{ phase: HostPhase; position: Position }> = [];
  // One row more than the page says whether anything follows.
  for (const phase of PHASES.slice(from ? PHASES.indexOf(from.phase) : 0)) {
    const after = from?.phase === phase ? from.after : undefined;
    const rows = await phaseRows(host.id, phase, after, limit + 1 - found.length);
    found.push(...rows.map((position) => ({ phase, position })));
    if (found.length > limit) break;
  }
  const page = found.slice(0, limit);
  const items = await hydrateSessions(page.map((f) => f.position.id), viewerId);
  const last = page.at(-1);
  return { items, nextCursor: found.length > limit && last ? encodeHostCursor({ phase: last.phase, after: last.position }) : null };
}

/** A phase's sessions after `after`, in its order, as (time, id) positions. */
async function phaseRows(hostId: string, phase: HostPhase, after: Position | undefined, limit: number): Promise<Position[]> {
  const sql = getSql();
  const at = (t: number) => atMs(sql, t);
  const ms = (column: string) => sql`(extract(epoch from ${sql.unsafe(column)}) * 1000)::int8::text`;
  let rows: Array<{ id: string; t: string }>;
  if (phase === "upcoming") {
    rows = await sql`
      select id::text as id, ${ms("scheduled_at")} as t from live_sessions
      where host_id = ${hostId} and status = 'upcoming' ${after ? sql`and (scheduled_at, id) > (${at(after.t)}, ${after.id}::int8)` : sql``}
      order by scheduled_at, id limit ${limit}`;
  } else {
    const column = phase === "live" ? "started_at" : "ended_at";
    rows = await sql`
      select id::text as id, ${ms(column)} as t from live_sessions
      where host_id = ${hostId} and status = ${phase} ${after ? sql`and (${sql.unsafe(column)}, id) < (${at(after.t)}, ${after.id}::int8)` : sql``}
      order by ${sql.unsafe(column)} desc, id desc limit ${limit}`;
  }
  return rows.map((r) => ({ t: Number(r.t), id: r.id }));
}
