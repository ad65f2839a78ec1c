import "server-only";
// The public timeline (/explore, the logged-out home page, GET /api/v1/timelines/public):
// every live top-level post and every repost of a live post, newest first. Each
// publication and each repost is its own item, so a post reposted three times appears up
// to four times, each at its own time; a repost's `reason.by` is its reposter.
//
// An item's position is (time, post id, reposter id), the publication's reposter id being
// 0: a total order, so a cursor naming the last item shown never repeats or skips one,
// however many items share a millisecond. A page merges two newest-first index walks,
// posts_public_idx and reposts_created_idx (db/migrations/0007_people.sql), each cut at
// the page size: deep pages cost what the first does.
import { getReadSql } from "@/db";
import { badRequest } from "@/lib/errors";
import type { Page } from "@/lib/cursor";
import type { FeedItemDto } from "@/lib/feed/feed-item";
import { atMs } from "@/lib/keyset-sql";
import { postSelect, toPostDto, userLite, withViewerFlags, type PostRow } from "@/lib/posts/dto";
import { isInt8Id } from "@/lib/validation";

type Sql = ReturnType<typeof getReadSql>;

/** Where an item sits: its time (ms), its post, and its reposter ("0" for the publication). */
export interface PublicPosition {
  t: number;
  postId: string;
  by: string;
}

export function encodePublicCursor(position: PublicPosition): string {
  return Buffer.from(`${position.t}.${position.postId}.${position.by}`).toString("base64url");
}

export function decodePublicCursor(cursor: string | null | undefined): PublicPosition | undefined {
  if (cursor === undefined || cursor === null || cursor === "") return undefined;
  const text = /^[A-Za-z0-9_-]{1,80}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString() : "";
  const match = /^(\d{1,15})\.(\d{1,19})\.(\d{1,19})$/.exec(text);
  if (!match || !isInt8Id(match[2]!) || !isInt8Id(match[3]!)) {
    throw badRequest("invalid_cursor", "The cursor is not valid: use the nextCursor of a previous page.");
  }
  return { t: Number(match[1]), postId: match[2]!, by: match[3]! };
}

interface PublicRow extends PostRow {
  at_ms: string;
  by_id: string;
  by_username: string | null;
  by_display_name: string | null;
  by_avatar_key: string | null;
}

export async function getPublicTimeline({ viewerId, cursor, limit }: { viewerId: string | null; cursor?: string | null; limit: number }): Promise<Page<FeedItemDto>> {
  const after = decodePublicCursor(cursor);
  // One row more than the page: it says whether anything older exists.
  // From the read pool; the viewer's likedByMe / repostedByMe from the primary.
  const rows = await withViewerFlags(await publicTimelineQuery({ viewerId, after, limit: limit + 1 }), viewerId);
  const items = rows.slice(0, limit).map(toFeedItem);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodePublicCursor({ t: Number(last.at_ms), postId: last.id, by: last.by_id }) : null };
}

function toFeedItem(row: PublicRow): FeedItemDto {
  return {
    ...toPostDto(row),
    reason:
      row.by_id === "0"
        ? null
        : { type: "repost", by: userLite(row.by_id, row.by_username!, row.by_display_name!, row.by_avatar_key), at: new Date(Number(row.at_ms)).toISOString() },
  };
}

/** The page after `after`, hydrated. A postgres.js fragment: awaited it runs, nested it can be EXPLAINed. */
export function publicTimelineQuery({ viewerId, after, limit }: { viewerId: string | null; after?: PublicPosition; limit: number }) {
  const sql = getReadSql();
  // A publication is (created_at, id, 0): after a repost's position at the same time and
  // post comes that post's publication; after a publication, strictly older ones.
  const postsAfter = after ? sql`and (p.created_at, p.id) ${after.by === "0" ? sql`<` : sql`<=`} (${atMs(sql, after.t)}, ${after.postId}::int8)` : sql``;
  const repostsAfter = after ? sql`and (r.created_at, r.post_id, r.user_id) < (${atMs(sql, after.t)}, ${after.postId}::int8, ${after.by}::int8)` : sql``;
  return sql<PublicRow[]>`
    with items as (
      (select p.created_at as at, p.id as post_id, 0::int8 as by_id from posts p
        where p.deleted_at is null and p.reply_to_id is null ${postsAfter} ${visible(sql, viewerId, sql`p.author_id`)}
        order by p.created_at desc, p.id desc
        limit ${limit})
      union all
      (select r.created_at, r.post_id, r.user_id from reposts r
        join posts p on p.id = r.post_id and p.deleted_at is null
        where true ${repostsAfter} ${visible(sql, viewerId, sql`p.author_id`)} ${visible(sql, viewerId, sql`r.user_id`)}
        order by r.created_at desc, r.post_id desc, r.user_id desc
        limit ${limit})
      order by 1 desc, 2 desc, 3 desc
      limit ${limit}
    )
    select ${postSelect(sql, viewerId)}, (extract(epoch from i.at) * 1000)::int8::text as at_ms,
      i.by_id::text as by_id, bu.username as by_username, bu.display_name as by_display_name, bu.avatar_key as by_avatar_key
    from items i
    join posts p on p.id = i.post_id
    join users u on u.id = p.author_id
    left join users ru on ru.id = p.reply_to_user_id
    left join users bu on bu.id = i.by_id
    order by i.at desc, i.post_id desc, i.by_id desc`;
}

/**
 * SQL: hides `user`'s posts and reposts from a viewer they blocked (to whom they do not
 * exist) and from a viewer who blocked them. Logged out, everything is visible.
 */
function visible(sql: Sql, viewerId: string | null, user: ReturnType<Sql>) {
  return viewerId
    ? sql`and not exists (select 1 from blocks b where b.blocker_id = ${user} and b.blocked_id = ${viewerId})
      and not exists (select 1 from blocks b where b.blocker_id = ${viewerId} and b.blocked_id = ${user})`
    : sql``;
}
