import "server-only";
// Superstars: accounts whose posts are not pushed to every follower but pulled into feeds
// at read time. Only an admin sets the flag, and nothing clears it: an author who switched
// between push and pull between a post and a read would lose that post from feeds.
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import type { Page } from "@/lib/cursor";
import { badRequest, notFound } from "@/lib/errors";
import { transactWithEvents } from "@/lib/events/outbox";
import { superstarFlagged } from "@/lib/events/schemas";
import { allReaderViewsChanged } from "@/lib/feed/reader-view";
import { toUserDtoFor, toUserDtos, userColumns, type UserDto } from "@/lib/users/dto";
import { canonicalUsername } from "@/lib/users/lookup";
import { isInt8Id, limitSchema, parseInput } from "@/lib/validation";

export const superstarListQuerySchema = z.object({
  cursor: z.string().optional(),
  limit: limitSchema,
});

/**
 * Flags `username` as a superstar; flagging one again changes nothing. 404 for an unknown
 * handle. A change tells the cached reader views (their followers' feeds now pull them).
 */
export async function flagSuperstar({ username, viewerId }: { username: string; viewerId?: string | null }): Promise<UserDto> {
  const canonical = canonicalUsername(username);
  if (!canonical) throw notFound("User");
  const { row, changed } = await transactWithEvents(async (tx, publish) => {
    const [before] = await tx.select({ id: users.id, isSuperstar: users.isSuperstar }).from(users).where(eq(users.username, canonical)).for("update");
    if (!before) throw notFound("User");
    const [after] = await tx
      .update(users)
      // updated_at moves only when the flag does, so a repeated flag is a true no-op.
      .set({ isSuperstar: true, updatedAt: sql`case when ${users.isSuperstar} then ${users.updatedAt} else now() end` })
      .where(eq(users.id, before.id))
      .returning(userColumns);
    if (!before.isSuperstar) publish(superstarFlagged.create({ userId: before.id }));
    return { row: after!, changed: !before.isSuperstar };
  });
  if (changed) await allReaderViewsChanged();
  return toUserDtoFor(row, viewerId);
}

export interface ListSuperstarsInput {
  cursor?: string | null;
  limit?: number;
  viewerId?: string | null;
}

/**
 * The flagged accounts, newest account first (id order: it never changes, so a cursor
 * stays valid however the flags and counters change; served by users_superstar_idx).
 */
export async function listSuperstars({ cursor, limit, viewerId }: ListSuperstarsInput): Promise<Page<UserDto>> {
  const before = decodeSuperstarCursor(cursor);
  const pageSize = parseInput(limitSchema, limit);
  const rows = await getDb()
    .select(userColumns)
    .from(users)
    // The bare column, exactly the partial index's predicate, so the planner can use it.
    .where(and(sql`${users.isSuperstar}`, before ? lt(users.id, before) : undefined))
    .orderBy(desc(users.id))
    .limit(pageSize + 1);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    items: await toUserDtos(page, viewerId),
    nextCursor: rows.length > pageSize && last ? encodeSuperstarCursor(last.id) : null,
  };
}

// The list is ordered by id alone, so its cursor is an id; tagged so that a cursor from
// another list (time + id) is refused rather than misread.
const CURSOR_TAG = "s";

export function encodeSuperstarCursor(id: string): string {
  return Buffer.from(`${CURSOR_TAG}.${id}`).toString("base64url");
}

function decodeSuperstarCursor(cursor: string | null | undefined): string | undefined {
  if (cursor === undefined || cursor === null || cursor === "") return undefined;
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString() : "";
  const match = new RegExp(`^${CURSOR_TAG}\\.(\\d{1,19})$`).exec(text);
  if (!match || !isInt8Id(match[1]!)) throw badRequest("invalid_cursor", "The cursor is not valid: use the nextCursor of a previous page.");
  return match[1]!;
}
