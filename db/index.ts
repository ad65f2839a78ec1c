// The one Postgres client (postgres.js + Drizzle), cached on globalThis so dev reloads
// and test files reuse a single pool.
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getEnv } from "@/lib/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;

const globalForDb = globalThis as unknown as {
  starlingSql?: postgres.Sql;
  starlingDb?: Database;
  starlingReadSql?: postgres.Sql;
  starlingReadDb?: Database;
};

/**
 * A Postgres restart must cost a few seconds of 503s, never a hung request: a connection
 * attempt gives up after 5 s (a refused one fails at once anyway), reconnecting waits at
 * most 1 s, and no statement runs longer than 15 s. The heaviest statements the app runs
 * (a fan-out's audience page of up to 200k followers, a rebuild over 2,000 followees)
 * take well under a second on the benchmark worlds; the world builders and the seeder
 * have clients of their own. Idle connections are kept (no idle timeout), so a burst
 * finds the pool open instead of connecting under load.
 */
export const CONNECT_TIMEOUT_SECONDS = 5;
export const STATEMENT_TIMEOUT_MS = 15_000;

function connect(url: string): postgres.Sql {
  return postgres(url, {
    max: 10,
    idle_timeout: 0,
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    connection: { statement_timeout: STATEMENT_TIMEOUT_MS },
    // postgres.js waits this long (s) before reconnecting after a failed connection. Its
    // default grows with the pool's failures up to 20 s, and a query queued meanwhile
    // waits it out: after a restart requests would stall for seconds on a server that is
    // already back. Retrying within a second is cheap (a refused connect costs nothing).
    backoff: (retries: number) => Math.min(0.05 * 2 ** Math.min(retries, 5), 1),
    onnotice: () => {},
  });
}

/** The primary: every write, and every read that must see one. */
export function getSql(): postgres.Sql {
  globalForDb.starlingSql ??= connect(getEnv().DATABASE_URL);
  return globalForDb.starlingSql;
}

export function getDb(): Database {
  globalForDb.starlingDb ??= drizzle(getSql(), { schema, casing: "snake_case" });
  return globalForDb.starlingDb;
}

/**
 * The read pool: DATABASE_READ_URL (a read replica) when set, else the primary itself.
 * Same settings as the primary's pool.
 *
 * THE RULE. A read goes here only when it may be a little stale (an asynchronous replica
 * lags by milliseconds, seconds under load) and no caller could notice their own write
 * missing from it. Never: anything inside a transaction; a read whose result is the
 * caller's own write or decides one (getMe, the post `create` returns, a mute or block
 * check before a write, reconcile.ts' positions after a change); the viewer's likedByMe /
 * repostedByMe / followedByMe (they come from the primary: `withViewerFlags`,
 * `followedByViewer`); the home feed's reader view and its Redis-down fallback (the
 * author's own post must be in their own feed at once); notifications.
 *
 * Who reads here (grep getReadSql / getReadDb):
 * - lib/feed/truth.ts `loadList`: a list's continuation past its cached tail (entries
 *   older than a cached horizon are long replicated), and a rebuild, but only through
 *   `caughtUpReadSql` (a rebuilt list outlives the read: it must hold every post whose
 *   fan-out ran before the rebuild's lease);
 * - lib/users/profile.ts `getUserByUsername`: others' profiles (one's own is re-read on
 *   the primary); lib/posts/queries.ts `listUserPosts`: others' posts pages;
 * - lib/follows/lists.ts: followers / following lists;
 * - lib/search/posts.ts, lib/search/users.ts: search;
 * - lib/people/suggestions.ts: who to follow;
 * - lib/timelines/public.ts: the public timeline;
 * - lib/posts/thread.ts: a thread's context and replies (the post's own visibility check
 *   stays on the primary: a just-written post must not 404).
 */
export function getReadSql(): postgres.Sql {
  const url = getEnv().DATABASE_READ_URL;
  if (!url) return getSql();
  globalForDb.starlingReadSql ??= connect(url);
  return globalForDb.starlingReadSql;
}

export function getReadDb(): Database {
  if (!getEnv().DATABASE_READ_URL) return getDb();
  globalForDb.starlingReadDb ??= drizzle(getReadSql(), { schema, casing: "snake_case" });
  return globalForDb.starlingReadDb;
}

/** Whether a separate read pool exists (DATABASE_READ_URL is set). */
export const hasReadReplica = () => Boolean(getEnv().DATABASE_READ_URL);

/**
 * The read pool if it has caught up with everything the primary had committed when this
 * was called, else the primary: for a read whose result is cached past the read (a
 * rebuild). A streaming standby proves it by its replay position (pg_last_wal_replay_lsn);
 * a database that is not a standby (a copy, a logical subscriber) cannot, and the primary
 * answers. Two tiny statements, paid per rebuild only.
 */
export async function caughtUpReadSql(): Promise<postgres.Sql> {
  if (!hasReadReplica()) return getSql();
  const [primary] = await getSql()<[{ lsn: string }]>`select pg_current_wal_lsn()::text as lsn`;
  const [replica] = await getReadSql()<[{ caught_up: boolean | null }]>`select pg_last_wal_replay_lsn() >= ${primary!.lsn}::pg_lsn as caught_up`;
  return replica?.caught_up ? getReadSql() : getSql();
}

export async function closeDb(): Promise<void> {
  const sql = globalForDb.starlingSql;
  const readSql = globalForDb.starlingReadSql;
  globalForDb.starlingSql = undefined;
  globalForDb.starlingDb = undefined;
  globalForDb.starlingReadSql = undefined;
  globalForDb.starlingReadDb = undefined;
  await Promise.all([sql?.end({ timeout: 5 }), readSql?.end({ timeout: 5 })]);
}

/** A transaction, as Drizzle hands it to `getDb().transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
