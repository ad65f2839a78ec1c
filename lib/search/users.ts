import "server-only";
// People search. Best match first, in four tiers: the exact handle, handles starting with
// the query (shortest first: the closest completion), display names starting with it
// (shortest first), then fuzzy matches (trigram similarity of handle or display name, or a
// display-name word like the query; most similar first). Candidates come from the
// trigram indexes of migration 0006 (LIKE 'q%', %, <%).
//
// The order depends only on the query and the user's handle and display name, never on
// counts that move while someone pages (followers), so the cursor (tier and score folded
// into one integer rank, plus the id) never repeats or skips anyone.
import { and, asc, isNull, sql, type SQL } from "drizzle-orm";
import { getReadDb } from "@/db";
import { users } from "@/db/schema";
import { decodeCursor, encodeCursor, type Page } from "@/lib/cursor";
import { toUserDtos, userColumns, type UserDto } from "@/lib/users/dto";
import { escapeLike, normalizePeopleQuery } from "./syntax";

/** Ranks: lower is better; each tier owns a band of 1000. */
const TIER = { exact: 0, handlePrefix: 1000, namePrefix: 2000, fuzzy: 3000 } as const;

export async function searchUsers({
  q,
  cursor,
  limit,
  viewerId,
}: {
  q: string;
  cursor?: string | null;
  limit: number;
  viewerId?: string | null;
}): Promise<Page<UserDto>> {
  const after = decodeCursor(cursor);
  const text = normalizePeopleQuery(q);
  if (text === "") return { items: [], nextCursor: null };

  // lower() in SQL on both sides, so the database's own case rules apply to both.
  const query = sql`lower(${text})`;
  const prefix = sql`lower(${`${escapeLike(text)}%`})`;
  const name = sql`lower(${users.displayName})`;
  const rank: SQL<number> = sql<number>`(case
    when ${users.username} = ${query} then ${TIER.exact}
    when ${users.username} like ${prefix} then ${TIER.handlePrefix} + char_length(${users.username})
    when ${name} like ${prefix} then ${TIER.namePrefix} + least(char_length(${users.displayName}), 999)
    else ${TIER.fuzzy} + 1000 - round(1000 * greatest(similarity(${users.username}, ${query}), similarity(${name}, ${query}), word_similarity(${query}, ${name})))::int
  end)`;
  const matches = sql`(${users.username} like ${prefix} or ${name} like ${prefix}
    or ${users.username} % ${query} or ${name} % ${query} or ${query} <% ${name})`;
  // To someone they blocked, a user does not exist.
  const notBlocking = viewerId ? sql`not exists (select 1 from blocks b where b.blocker_id = ${users.id} and b.blocked_id = ${viewerId})` : undefined;
  const afterCursor = after ? sql`(${rank}, ${users.id}) > (${after.t}::int8, ${after.id}::int8)` : undefined;

  // From the read pool; followedByMe (toUserDtos) from the primary.
  const rows = await getReadDb()
    .select({ ...userColumns, rank })
    .from(users)
    .where(and(matches, isNull(users.deletedAt), notBlocking, afterCursor))
    .orderBy(asc(rank), asc(users.id))
    .limit(limit + 1);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await toUserDtos(page, viewerId),
    nextCursor: rows.length > limit && last ? encodeCursor({ t: Number(last.rank), id: last.id }) : null,
  };
}
