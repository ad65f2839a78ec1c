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

export function getSql(): postgres.Sql {
  globalForDb.starlingSql ??= postgres(getEnv().DATABASE_URL, {
    max: 10,
    idle_timeout: 30,
    connect_timeout: 10,
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
