import "server-only";
// Server-side session records. Logins still get Auth.js' encrypted JWT cookie, but the
// cookie carries the id (sid) of a `sessions` row, and a cookie counts only while that row
// exists and is not revoked: signing out, changing the password and "sign out everywhere"
// revoke rows, and every copy of the cookie stops working.
//
// Each process remembers a row's state for SESSION_CHECK_TTL_MS (2 s), so a hot reader
// costs one indexed lookup per session every 2 s instead of one per request; a revocation
// made by another process is seen within that time, one made here at once. Revocation is
// final, so a revoked row read from the database is remembered until evicted. While
// Postgres cannot be reached, a session seen active in the last 30 s stays active (no
// revocation can be written meanwhile either), so reads Redis can serve keep working.
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { getDb, type Database, type Tx } from "@/db";
import { sessions } from "@/db/schema";
import { getEnv } from "@/lib/env";

interface CheckedSession {
  userId: string | null; // null: no such row, or revoked
  until: number;
  /** When the database last said so. */
  checkedAt: number;
}

/** What this process knows of a session: the last answer, and the lookup under way. */
interface Entry {
  state?: CheckedSession;
  pending?: Promise<CheckedSession>;
}

const MAX_ENTRIES = 50_000;
const OUTAGE_GRACE_MS = 30_000;
let lastOutageLog = 0;
const checked = new Map<string, Entry>();

/** A new session for a user who just proved who they are; its id goes into the cookie. */
export async function startSession(userId: string): Promise<string> {
  const [row] = await getDb().insert(sessions).values({ userId }).returning({ id: sessions.id });
  return row!.id;
}

/** True while the session exists, is not revoked and belongs to `userId`. */
export async function isSessionActive(sessionId: string, userId: string): Promise<boolean> {
  if (!isUuid(sessionId)) return false;
  const now = Date.now();
  const entry = checked.get(sessionId);
  if (entry?.state && entry.state.until > now) return entry.state.userId === userId;
  // Concurrent requests of one session share one lookup.
  if (entry?.pending) return (await entry.pending).userId === userId;
  const previous = entry?.state;
  const ttl = getEnv().SESSION_CHECK_TTL_MS;
  const pending = lookUp(sessionId, now, ttl).catch((error: unknown) => {
    if (!previous?.userId || now - previous.checkedAt > OUTAGE_GRACE_MS) throw error;
    if (now - lastOutageLog > 10_000) {
      lastOutageLog = now;
      console.warn("session check failed: trusting sessions seen active in the last 30 s", { error: error instanceof Error ? error.message : String(error) });
    }
    return { ...previous, until: now + ttl };
  });
  const next: Entry = { state: previous, pending };
  remember(sessionId, next);
  // Unless a revocation here replaced the entry meanwhile.
  pending.then(
    (state) => checked.get(sessionId) === next && remember(sessionId, { state }),
    () => checked.get(sessionId) === next && checked.delete(sessionId),
  );
  return (await pending).userId === userId;
}

/** Signs one session out (idempotent). */
export async function revokeSession(sessionId: string): Promise<void> {
  if (!isUuid(sessionId)) return;
  await getDb()
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
  forget([sessionId]);
}

/** Signs out every session of a user, or every one but `exceptSessionId`; returns how many ended. */
export async function revokeUserSessions(
  { userId, exceptSessionId }: { userId: string; exceptSessionId?: string },
  db: Database | Tx = getDb(),
): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined))
    .returning({ id: sessions.id });
  forget(ended.map((s) => s.id));
  return ended.length;
}

async function lookUp(sessionId: string, now: number, ttl: number): Promise<CheckedSession> {
  const [row] = await getDb()
    .select({ userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .limit(1);
  return row ? { userId: String(row.userId), until: now + ttl, checkedAt: now } : { userId: null, until: Infinity, checkedAt: now };
}

function remember(sessionId: string, entry: Entry): void {
  checked.set(sessionId, entry);
  if (checked.size > MAX_ENTRIES) checked.delete(checked.keys().next().value!);
}

/**
 * Revoked here: this process must not wait out its own cache. Only for the usual time,
 * not for good: inside a transaction that then rolls back, the sessions are still active.
 */
function forget(sessionIds: string[]): void {
  const now = Date.now();
  for (const id of sessionIds) remember(id, { state: { userId: null, until: now + getEnv().SESSION_CHECK_TTL_MS, checkedAt: now } });
}

// A malformed id would reach Postgres as a uuid cast error.
const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
