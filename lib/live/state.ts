import "server-only";
// THE state machine of live sessions, in one place: upcoming → live → ended, or upcoming
// → cancelled (gone to everyone; the row stays, so what a feed showed at a past moment
// can be worked out). Each transition is one conditional UPDATE (`… and status =
// 'upcoming'`) in a transaction with its event, so two racing transitions cannot both
// win; when no row changes, the session is looked at to say why: 404 if it does not
// exist (or was cancelled), 403 for anyone but its host, 409 `invalid_state` otherwise.
//
// Times are the app's clock (ms), written into the row and the event, never earlier than
// the previous transition's. After the commit the host's Redis set is updated at once
// (best effort: the event's function writes it again, lib/live/host-store.ts).
import { sql as rawSql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db";
import { transactWithEvents } from "@/lib/events/outbox";
import { liveCancelled, liveEnded, liveScheduled, liveStarted } from "@/lib/events/schemas";
import { conflict, forbidden, invalid, notFound } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { isRedisUnavailable } from "@/lib/redis";
import { isInt8Id, parseInput } from "@/lib/validation";
import { loadSessionRows, sessionAt, type LiveSessionDto, type SessionRow } from "./dto";
import { writeHostEntry } from "./host-store";

export const TITLE_MAX_LENGTH = 100;
/** How far in the past a start time may lie (clock skew between a client and us). */
const SKEW_MS = 60_000;
const MAX_AHEAD_MS = 365 * 24 * 3600 * 1000;

export const scheduleInputSchema = z.object({
  title: z
    .string({ error: "Give the session a title." })
    .trim()
    .min(1, "Give the session a title.")
    .refine((v) => !v.includes("\u0000"), "Titles can't contain NUL characters.")
    // Code points, as the table's CHECK counts them.
    .refine((v) => [...v].length <= TITLE_MAX_LENGTH, `Titles can be at most ${TITLE_MAX_LENGTH} characters.`),
  scheduledAt: z
    .string({ error: "Say when the session starts." })
    .pipe(z.iso.datetime({ offset: true, error: "Give the start time as an ISO-8601 date and time." }))
    .refine((v) => Date.parse(v) >= Date.now() - SKEW_MS, "The start time must be in the future.")
    .refine((v) => Date.parse(v) <= Date.now() + MAX_AHEAD_MS, "The start time must be within a year from now."),
});

export type ScheduleInput = z.input<typeof scheduleInputSchema>;

export async function scheduleSession({ hostId, title, scheduledAt }: { hostId: string } & ScheduleInput): Promise<LiveSessionDto> {
  const input = parseInput(scheduleInputSchema, { title, scheduledAt });
  await enforceRateLimit("live", hostId);
  const at = Date.now();
  const id = await transactWithEvents(async (tx, publish) => {
    const [row] = await tx.execute<{ id: string }>(sqlInsert(hostId, input.title, Date.parse(input.scheduledAt), at));
    publish(liveScheduled.create({ sessionId: row!.id, hostId, at }));
    return row!.id;
  });
  // Cancelled already (by a racing request of the host's): gone.
  const session = await afterTransition(id, hostId);
  if (!session) throw notFound("Live session");
  return session;
}

type Transition = "start" | "end" | "cancel";

// A session that has just started or ended cannot have been cancelled: it is always there.
export const startSession = async ({ sessionId, userId }: { sessionId: string; userId: string }) => (await transition("start", sessionId, userId))!;
export const endSession = async ({ sessionId, userId }: { sessionId: string; userId: string }) => (await transition("end", sessionId, userId))!;
export async function cancelSession({ sessionId, userId }: { sessionId: string; userId: string }): Promise<void> {
  await transition("cancel", sessionId, userId);
}

/** A session id from a URL: anything but an int8 in decimal is a 400. */
export function parseSessionId(value: string): string {
  if (!isInt8Id(value)) throw invalid({ id: "Not a valid session id." }, "That is not a valid session id.");
  return BigInt(value).toString();
}

const EVENTS = { start: liveStarted, end: liveEnded, cancel: liveCancelled } as const;

/** The session after the change; null once cancelled. */
async function transition(kind: Transition, rawId: string, userId: string): Promise<LiveSessionDto | null> {
  const sessionId = parseSessionId(rawId);
  const at = Date.now();
  const hostId = await transactWithEvents(async (tx, publish) => {
    const [row] = await tx.execute<{ host_id: string; at: string }>(sqlTransition(kind, sessionId, userId, at));
    if (!row) return refuse(tx, kind, sessionId, userId);
    publish(EVENTS[kind].create({ sessionId, hostId: row.host_id, at: Number(row.at) }));
    return row.host_id;
  });
  return afterTransition(sessionId, hostId);
}

/** Why a transition changed nothing: the error to answer with. */
async function refuse(tx: Tx, kind: Transition, sessionId: string, userId: string): Promise<never> {
  const [row] = await tx.execute<{ host_id: string; status: SessionRow["status"] }>(
    rawSql`select host_id::text as host_id, status from live_sessions where id = ${sessionId}`,
  );
  if (!row || row.status === "cancelled") throw notFound("Live session");
  if (row.host_id !== userId) throw forbidden("Only the session's host can do that.");
  const verb = { start: "start", end: "end", cancel: "cancel" }[kind];
  const now = { upcoming: "it has not started yet", live: "it is live", ended: "it has already ended" }[row.status];
  throw conflict("invalid_state", `You can't ${verb} this session: ${now}.`);
}

/** The session as it is after the change (null once cancelled), with its host's Redis set brought up to date. */
async function afterTransition(sessionId: string, hostId: string): Promise<LiveSessionDto | null> {
  const rows = await loadSessionRows([sessionId], null);
  const row = rows.get(sessionId);
  if (!row) throw notFound("Live session"); // its host was deleted meanwhile
  try {
    await writeHostEntry(row);
  } catch (error) {
    // The event's function writes it again; the change itself has committed.
    if (!isRedisUnavailable(error)) console.warn("live: host set write failed", { sessionId, hostId, error: error instanceof Error ? error.message : String(error) });
  }
  return sessionAt(row);
}

// One conditional UPDATE per transition, its time never before the previous one's.
const atTs = (at: number) => rawSql`(timestamptz 'epoch' + ${String(at)}::int8 * interval '1 millisecond')`;
const msOf = (column: ReturnType<typeof rawSql.raw>) => rawSql`(extract(epoch from ${column}) * 1000)::int8::text`;

function sqlInsert(hostId: string, title: string, scheduledMs: number, at: number) {
  return rawSql`insert into live_sessions (host_id, title, status, scheduled_at, created_at)
    values (${hostId}, ${title}, 'upcoming', ${atTs(scheduledMs)}, ${atTs(at)}) returning id::text as id`;
}

function sqlTransition(kind: Transition, sessionId: string, userId: string, at: number) {
  const [to, column, after, from] =
    kind === "start" ? ["live", "started_at", "created_at", "upcoming"] : kind === "end" ? ["ended", "ended_at", "started_at", "live"] : ["cancelled", "cancelled_at", "created_at", "upcoming"];
  const col = rawSql.raw(column!);
  return rawSql`update live_sessions set status = ${to}, ${col} = greatest(${atTs(at)}, ${rawSql.raw(after!)})
    where id = ${sessionId} and host_id = ${userId} and status = ${from}
    returning host_id::text as host_id, ${msOf(col)} as at`;
}
