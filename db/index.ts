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

export function getSql(): postgres.Sql {
  globalForDb.starlingSql ??= postgres(getEnv().DATABASE_URL, {
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
  return globalForDb.starlingSql;
}

export function getDb(): Database {
  globalForDb.starlingDb ??= drizzle(getSql(), { schema, casing: "snake_case" });
  return globalForDb.starlingDb;
}

export async function closeDb(): Promise<void> {
  const sql = globalForDb.starlingSql;
  globalForDb.starlingSql = undefined;
  globalForDb.starlingDb = undefined;
  await sql?.end({ timeout: 5 });
}

/** A transaction, as Drizzle hands it to `getDb().transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
