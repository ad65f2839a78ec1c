import "server-only";
// Keyset paging in SQL, for every list whose cursor is a Position (lib/cursor.ts): the
// cursor's millisecond time as a timestamptz, and the "strictly older" row comparison,
// which Postgres turns into an index range when the index is on the same two columns.
import type { PendingQuery, Row } from "postgres";
import type { getSql } from "@/db";
import type { Position } from "@/lib/cursor";

type Sql = ReturnType<typeof getSql>;

/**
 * A time in ms since the epoch (a number, or an int8 SQL expression) as a timestamptz;
 * exact for any cursor (a far-future one included).
 */
export function atMs(sql: Sql, t: number | PendingQuery<Row[]>) {
  return typeof t === "number"
    ? sql`(timestamptz 'epoch' + ${String(t)}::int8 * interval '1 millisecond')`
    : sql`(timestamptz 'epoch' + ${t} * interval '1 millisecond')`;
}

/** `and (time, id) < (after)`, or nothing without a cursor. `columns` default to a post's `p.created_at, p.id`. */
export function olderThan(sql: Sql, after: Position | undefined, columns = sql`p.created_at, p.id`) {
  return after ? sql`and (${columns}) < (${atMs(sql, after.t)}, ${after.id}::int8)` : sql``;
}

/** `and (time, id) > (since)`. */
export function newerThan(sql: Sql, since: Position, columns = sql`p.created_at, p.id`) {
  return sql`and (${columns}) > (${atMs(sql, since.t)}, ${since.id}::int8)`;
}
