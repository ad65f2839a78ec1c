import "server-only";
// People search. Best match first, in four tiers: the exact handle, handles starting with
// the query (shortest first: the closest completion), display names starting with it
// (shortest first), then fuzzy matches (trigram similarity of handle or display name, or a
// display-name word like the query; most similar first).
//
// The work is bounded by the page, not by how many people match: each tier contributes at
// most a page of candidates (the prefix tiers through the trigram GIN indexes of migration
// 0006, the fuzzy tier as nearest neighbours through the GiST indexes of migration 0009,
// one walk per similarity measure), and only those are ranked. The page's best by the
// highest of the three similarities is always among the union of each measure's best, so
// nothing that belongs on the page is missed. (Scoring every trigram match instead cost
// 0.5 s for a query like "user_5001" on the bench's 100k users, whose handles all share
// "user_".)
//
// The order depends only on the query and the user's handle and display name, never on
// counts that move while someone pages (followers), so the cursor (tier and score folded
// into one integer rank, plus the id) never repeats or skips anyone.
import { and, asc, sql, type SQL } from "drizzle-orm";
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
  const notBlocking = viewerId ? sql`not exists (select 1 from blocks b where b.blocker_id = ${users.id} and b.blocked_id = ${viewerId})` : sql`true`;
  const afterCursor = after ? sql`(${rank}, ${users.id}) > (${after.t}::int8, ${after.id}::int8)` : sql`true`;
  const n = limit + 1;
  const eligible = sql`${users.deletedAt} is null and ${notBlocking} and ${afterCursor}`;
  // Each tier's best below the cursor; the fuzzy ones nearest first (GiST KNN: the
  // distances are 1 − similarity and 1 − word similarity).
  const candidates = sql`(
    (select ${users.id} from ${users} where ${users.username} = ${query} and ${eligible})
    union (select ${users.id} from ${users} where ${users.username} like ${prefix} and ${eligible} order by ${rank}, ${users.id} limit ${n})
    union (select ${users.id} from ${users} where ${name} like ${prefix} and ${eligible} order by ${rank}, ${users.id} limit ${n})
    union (select ${users.id} from ${users} where ${eligible} order by ${users.username} <-> ${query} limit ${n})
    union (select ${users.id} from ${users} where ${eligible} order by ${name} <-> ${query} limit ${n})
    union (select ${users.id} from ${users} where ${eligible} order by ${query} <<-> ${name} limit ${n})
  )`;

  // From the read pool; followedByMe (toUserDtos) from the primary.
  const rows = await getReadDb()
    .select({ ...userColumns, rank })
    .from(users)
    .where(and(sql`${users.id} in ${candidates}`, matches))
    .orderBy(asc(rank), asc(users.id))
    .limit(n);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await toUserDtos(page, viewerId),
    nextCursor: rows.length > limit && last ? encodeCursor({ t: Number(last.rank), id: last.id }) : null,
  };
}
