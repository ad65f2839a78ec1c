import "server-only";
// The API's `LiveSession` and the one way to build it. Sessions are hydrated by id in one
// query; a session can be shown as it is now, or as it was at a past moment M (the Live
// feed's snapshot): a session's times never change once set, so its status at M follows
// from them alone.
import { getSql } from "@/db";
import { userLite, type UserLite } from "@/lib/posts/dto";
import { isInt8Id } from "@/lib/validation";

export type LiveSessionStatus = "upcoming" | "live" | "ended";

export interface LiveSessionDto {
  id: string;
  host: UserLite;
  title: string;
  status: LiveSessionStatus;
  /** ISO-8601 UTC, millisecond precision; null until it happens. */
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** A live_sessions row with its host, times in ms (null until they happen). */
export interface SessionRow {
  id: string;
  hostId: string;
  username: string;
  displayName: string;
  avatarKey: string | null;
  title: string;
  status: "upcoming" | "live" | "ended" | "cancelled";
  createdMs: number;
  scheduledMs: number;
  startedMs: number | null;
  endedMs: number | null;
  cancelledMs: number | null;
  /** Whether the viewer the rows were read for follows the host (false without a viewer). */
  followed: boolean;
}

interface RawRow {
  id: string;
  host_id: string;
  username: string;
  display_name: string;
  avatar_key: string | null;
  title: string;
  status: SessionRow["status"];
  created_ms: string;
  scheduled_ms: string;
  started_ms: string | null;
  ended_ms: string | null;
  cancelled_ms: string | null;
  followed: boolean;
}

const ms = (v: string | null) => (v === null ? null : Number(v));

/**
 * The rows of these sessions, cancelled ones included, keyed by id; unknown and malformed
 * ids are left out, and so are sessions whose host blocked `viewerId` (to a blocked
 * user, the blocker's sessions do not exist). One query whatever the number of ids.
 */
export async function loadSessionRows(ids: readonly string[], viewerId: string | null): Promise<Map<string, SessionRow>> {
  const wanted = [...new Set(ids.filter(isInt8Id))];
  if (wanted.length === 0) return new Map();
  const sql = getSql();
  const t = (column: string) => sql`(extract(epoch from ${sql.unsafe(column)}) * 1000)::int8::text`;
  const rows = await sql<RawRow[]>`
    select s.id::text as id, s.host_id::text as host_id, u.username, u.display_name, u.avatar_key, s.title, s.status,
      ${t("s.created_at")} as created_ms, ${t("s.scheduled_at")} as scheduled_ms, ${t("s.started_at")} as started_ms,
      ${t("s.ended_at")} as ended_ms, ${t("s.cancelled_at")} as cancelled_ms,
      ${viewerId ? sql`exists (select 1 from follows f where f.follower_id = ${viewerId} and f.followee_id = s.host_id)` : sql`false`} as followed
    from live_sessions s join users u on u.id = s.host_id
    where s.id = any(${wanted}::int8[])
      ${viewerId ? sql`and not exists (select 1 from blocks b where b.blocker_id = s.host_id and b.blocked_id = ${viewerId})` : sql``}`;
  return new Map(rows.map((r) => [r.id, toSessionRow(r)]));
}

function toSessionRow(r: RawRow): SessionRow {
  return {
    id: r.id,
    hostId: r.host_id,
    username: r.username,
    displayName: r.display_name,
    avatarKey: r.avatar_key,
    title: r.title,
    status: r.status,
    createdMs: Number(r.created_ms),
    scheduledMs: Number(r.scheduled_ms),
    startedMs: ms(r.started_ms),
    endedMs: ms(r.ended_ms),
    cancelledMs: ms(r.cancelled_ms),
    followed: r.followed,
  };
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * The session as it was at `at` (ms), or as it is now without `at`; null when it did not
 * exist then (not yet scheduled, or cancelled: a cancelled session is gone).
 */
export function sessionAt(row: SessionRow, at?: number): LiveSessionDto | null {
  const base = { id: row.id, host: userLite(row.hostId, row.username, row.displayName, row.avatarKey), title: row.title, scheduledAt: iso(row.scheduledMs)! };
  if (at === undefined) {
    if (row.status === "cancelled") return null;
    return { ...base, status: row.status, startedAt: iso(row.startedMs), endedAt: iso(row.endedMs) };
  }
  if (row.createdMs > at || (row.cancelledMs !== null && row.cancelledMs <= at)) return null;
  if (row.endedMs !== null && row.endedMs <= at) return { ...base, status: "ended", startedAt: iso(row.startedMs), endedAt: iso(row.endedMs) };
  if (row.startedMs !== null && row.startedMs <= at) return { ...base, status: "live", startedAt: iso(row.startedMs), endedAt: null };
  return { ...base, status: "upcoming", startedAt: null, endedAt: null };
}

/** Sessions as they are now, in the order of `ids`; cancelled, unknown and hidden ones left out. */
export async function hydrateSessions(ids: readonly string[], viewerId: string | null = null): Promise<LiveSessionDto[]> {
  const rows = await loadSessionRows(ids, viewerId);
  return ids.flatMap((id) => {
    const row = rows.get(id);
    const dto = row && sessionAt(row);
    return dto ? [dto] : [];
  });
}

const RANK: Record<LiveSessionStatus, number> = { live: 0, upcoming: 1, ended: 2 };

/**
 * Where a session sorts in the contract's order: its status and the time that orders it
 * (live: its start, upcoming: its scheduled start, ended: its end), then its id. A Live
 * feed cursor carries the last one shown, so a snapshot recomputed later continues after it.
 */
export interface SessionKey {
  status: LiveSessionStatus;
  t: number;
  id: string;
}

export function sessionKey(s: LiveSessionDto): SessionKey {
  const at = s.status === "live" ? s.startedAt : s.status === "ended" ? s.endedAt : s.scheduledAt;
  return { status: s.status, t: Date.parse(at!), id: s.id };
}

/**
 * The contract's order: live (most recent start first), then upcoming (soonest scheduled
 * start first), then ended (most recent end first). Ties: by id, descending for live and
 * ended (newest first), ascending for upcoming (first scheduled first).
 */
export function compareSessionKeys(a: SessionKey, b: SessionKey): number {
  if (a.status !== b.status) return RANK[a.status] - RANK[b.status];
  const byId = BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0;
  if (a.status === "upcoming") return a.t - b.t || byId;
  return b.t - a.t || -byId;
}

export function compareSessions(a: LiveSessionDto, b: LiveSessionDto): number {
  return compareSessionKeys(sessionKey(a), sessionKey(b));
}
