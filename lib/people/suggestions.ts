import "server-only";
// Who to follow: the accounts most followed by the people the reader follows (friends of
// friends), then the most-followed accounts overall for whoever that leaves short (a new
// user follows nobody, so gets only those). Never the reader, someone they follow, mute or
// have blocked, nor someone who blocked them.
//
// Bounded whatever the graph: only the reader's SAMPLE_FOLLOWEES most recent follows are
// asked, and each of them for their PER_FOLLOWEE most recent follows (both walks of
// follows_follower_created_idx), so a reader following 5,000 costs what one following 200
// does. The top-up walks users_popular_idx (db/migrations/0007_people.sql).
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { getReadDb, getReadSql } from "@/db";
import { users } from "@/db/schema";
import { toUserDto, userColumns, type UserDto } from "@/lib/users/dto";

type Sql = ReturnType<typeof getReadSql>;

export const SAMPLE_FOLLOWEES = 200;
export const PER_FOLLOWEE = 200;

export const suggestionsLimitSchema = z.coerce
  .number({ error: "limit must be a number." })
  .int("limit must be a whole number.")
  .min(1, "limit must be between 1 and 50.")
  .max(50, "limit must be between 1 and 50.")
  .default(10);

/** Up to `limit` people for `viewerId` to follow, best first. */
export async function getSuggestions({ viewerId, limit = 10 }: { viewerId: string; limit?: number }): Promise<UserDto[]> {
  const ranked = await suggestionsQuery({ readerId: viewerId, limit });
  if (ranked.length === 0) return [];
  const ids = ranked.map((r) => r.id);
  const rows = await getReadDb().select(userColumns).from(users).where(inArray(users.id, ids));
  const byId = new Map(rows.map((row) => [row.id, row]));
  // Nobody suggested is followed by the viewer: the query leaves them out.
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toUserDto(row, false)] : [];
  });
}

/**
 * The suggested ids, best first: friends-of-friends by how many sampled followees follow
 * them, then by followers; then the most-followed of everyone else. A postgres.js
 * fragment: awaited it runs, nested it can be EXPLAINed (bench scripts do).
 */
export function suggestionsQuery({ readerId, limit }: { readerId: string; limit: number }) {
  // The read pool: someone followed a moment ago may be suggested once more.
  const sql = getReadSql();
  return sql<Array<{ id: string; common: number }>>`
    with sample as (
      select f.followee_id as id from follows f
      where f.follower_id = ${readerId}
      order by f.created_at desc, f.followee_id desc
      limit ${SAMPLE_FOLLOWEES}
    ),
    fof as (
      select c.id, count(*)::int as common
      from sample s
      cross join lateral (
        select f.followee_id as id from follows f
        where f.follower_id = s.id
        order by f.created_at desc, f.followee_id desc
        limit ${PER_FOLLOWEE}
      ) c
      group by c.id
    ),
    candidates as (
      select fof.id, fof.common from fof where ${eligible(sql, readerId, sql`fof.id`)}
    ),
    -- Only candidates at least as common as the limit-th need their followers counted (the
    -- tie-break): in a dense neighbourhood that spares thousands of user lookups.
    cut as (
      select common from candidates order by common desc limit 1 offset ${limit - 1}
    ),
    ranked as (
      select c.id, c.common, u.followers_count from candidates c join users u on u.id = c.id
      where c.common >= coalesce((select common from cut), 0)
      order by c.common desc, u.followers_count desc, c.id desc
      limit ${limit}
    ),
    popular as (
      select u.id, 0 as common, u.followers_count from users u
      where u.deleted_at is null and ${eligible(sql, readerId, sql`u.id`)} and not exists (select 1 from ranked r where r.id = u.id)
      order by u.followers_count desc, u.id desc
      limit ${limit}
    )
    select id::text as id, common from (
      select id, common, followers_count, 0 as tier from ranked
      union all
      select id, common, followers_count, 1 as tier from popular
    ) s
    order by tier, common desc, followers_count desc, id desc
    limit ${limit}`;
}

/** SQL: `user` may be suggested to `reader` (each check a primary-key probe). */
function eligible(sql: Sql, readerId: string, user: ReturnType<Sql>) {
  return sql`${user} <> ${readerId}
    and not exists (select 1 from follows x where x.follower_id = ${readerId} and x.followee_id = ${user})
    and not exists (select 1 from blocks b where b.blocker_id = ${readerId} and b.blocked_id = ${user})
    and not exists (select 1 from blocks b where b.blocker_id = ${user} and b.blocked_id = ${readerId})
    and not exists (select 1 from mutes m where m.muter_id = ${readerId} and m.muted_id = ${user})`;
}
