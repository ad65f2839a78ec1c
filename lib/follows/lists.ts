import "server-only";
// Follower and following lists, newest follow first. Keyset pagination on
// (follows.created_at, the other user's id), served by the follows_*_created_idx indexes:
// a cursor stays valid however the list changes, and deep pages cost what page 1 costs.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getReadDb } from "@/db";
import { follows, users } from "@/db/schema";
import { decodeCursor, encodeCursor, type Page } from "@/lib/cursor";
import { limitSchema, parseInput } from "@/lib/validation";
import { toUserDtos, userColumns, type UserDto } from "@/lib/users/dto";
import { requireVisibleUser } from "@/lib/relationships/queries";

export const listQuerySchema = z.object({
  cursor: z.string().optional(),
  limit: limitSchema,
});

export interface ListFollowsInput {
  username: string;
  cursor?: string | null;
  limit?: number;
  viewerId?: string | null;
}

/** Who follows `username`. */
export function listFollowers(input: ListFollowsInput): Promise<Page<UserDto>> {
  return listFollows("followers", input);
}

/** Whom `username` follows. */
export function listFollowing(input: ListFollowsInput): Promise<Page<UserDto>> {
  return listFollows("following", input);
}

async function listFollows(direction: "followers" | "following", { username, cursor, limit, viewerId }: ListFollowsInput): Promise<Page<UserDto>> {
  const position = decodeCursor(cursor);
  const pageSize = parseInput(limitSchema, limit);
  // A 404 for a viewer the user blocked, as their profile is.
  // From the read pool (followedByMe, in toUserDtos, from the primary).
  const target = await requireVisibleUser({ username, viewerId, db: getReadDb() });

  // followers: rows where the target is the followee, listing each follower; following: the reverse.
  const [self, other] = direction === "followers" ? [follows.followeeId, follows.followerId] : [follows.followerId, follows.followeeId];
  // The time as epoch + ms, not an ISO string: a tampered cursor's far-future ms (year
  // 33658) has no ISO form Postgres parses, and must be a harmless empty page, not a 500.
  const older: SQL | undefined = position
    ? sql`(${follows.createdAt}, ${other}) < (timestamptz 'epoch' + ${position.t}::bigint * interval '1 millisecond', ${position.id}::bigint)`
    : undefined;
  const rows = await getReadDb()
    .select({ ...userColumns, followedAt: follows.createdAt })
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .where(and(eq(self, target.id), older))
    .orderBy(desc(follows.createdAt), desc(other))
    .limit(pageSize + 1);

  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    items: await toUserDtos(page, viewerId),
    nextCursor: rows.length > pageSize && last ? encodeCursor({ t: last.followedAt.getTime(), id: last.id }) : null,
  };
}
