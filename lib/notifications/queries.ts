import "server-only";
// Reading notifications: a recipient's list (newest first, keyset on (created_at, id) over
// notifications_recipient_idx), the unread count, and marking read. What a reader sees is
// filtered here as well as at creation: a mute or block that came after a notification
// hides it, and so does the deletion of its post.
import { z } from "zod";
import { getSql } from "@/db";
import type { NotificationType } from "@/db/schema";
import { decodeCursor, encodeCursor, type Page } from "@/lib/cursor";
import { olderThan } from "@/lib/keyset-sql";
import { hydratePosts, userLite, type PostDto, type UserLite } from "@/lib/posts/dto";
import { hiddenFor } from "@/lib/relationships/queries";
import { hydrateSessions, type LiveSessionDto } from "@/lib/live/dto";
import { idSchema, parseInput } from "@/lib/validation";

type Sql = ReturnType<typeof getSql>;

/** The API's `Notification`. */
export interface NotificationDto {
  id: string;
  type: NotificationType;
  /** ISO-8601 UTC, millisecond precision. */
  createdAt: string;
  actor: UserLite;
  /** The post liked, reposted, or the reply or mentioning post itself; null for a follow. */
  post: PostDto | null;
  /** For `live` only: the session that went live. */
  session?: LiveSessionDto;
  read: boolean;
}

interface NotificationRow {
  id: string;
  type: NotificationType;
  created_ms: string;
  read: boolean;
  actor_id: string;
  actor_username: string;
  actor_display_name: string;
  actor_avatar_key: string | null;
  post_id: string | null;
  live_session_id: string | null;
}

/** Rows `n` (notifications, with `p` its post left-joined) the recipient may see. */
function visible(sql: Sql) {
  return sql`(n.post_id is null or p.deleted_at is null) and not ${hiddenFor(sql, sql`n.recipient_id`, sql`n.actor_id`)}`;
}

export async function listNotifications({ userId, cursor, limit }: { userId: string; cursor?: string; limit: number }): Promise<Page<NotificationDto>> {
  const after = decodeCursor(cursor);
  const sql = getSql();
  // One row more than the page: it says whether anything older exists.
  const rows = await sql<NotificationRow[]>`
    select n.id::text as id, n.type, (extract(epoch from n.created_at) * 1000)::int8::text as created_ms, n.read_at is not null as read,
      a.id::text as actor_id, a.username as actor_username, a.display_name as actor_display_name, a.avatar_key as actor_avatar_key, n.post_id::text as post_id,
      n.live_session_id::text as live_session_id
    from notifications n join users a on a.id = n.actor_id left join posts p on p.id = n.post_id
    where n.recipient_id = ${userId} ${olderThan(sql, after, sql`n.created_at, n.id`)} and ${visible(sql)}
    order by n.created_at desc, n.id desc
    limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const posts = await hydratePosts(
    page.flatMap((r) => (r.post_id ? [r.post_id] : [])),
    userId,
  );
  const byId = new Map(posts.map((p) => [p.id, p]));
  const sessions = new Map((await hydrateSessions(page.flatMap((r) => (r.live_session_id ? [r.live_session_id] : [])), userId)).map((s) => [s.id, s]));
  // A post deleted between the two reads leaves its notification out; the cursor still
  // follows the rows, so paging neither repeats nor skips.
  const items = page.flatMap((r) => {
    const post = r.post_id ? byId.get(r.post_id) : null;
    if (r.live_session_id) {
      const session = sessions.get(r.live_session_id);
      return session ? [{ ...toNotificationDto(r, null), session }] : [];
    }
    return post === undefined ? [] : [toNotificationDto(r, post)];
  });
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ t: Number(last.created_ms), id: last.id }) : null };
}

/** How many unread notifications the recipient would see. */
export async function countUnread(userId: string): Promise<number> {
  const sql = getSql();
  const [row] = await sql<[{ count: number }]>`
    select count(*)::int as count
    from notifications n left join posts p on p.id = n.post_id
    where n.recipient_id = ${userId} and n.read_at is null and ${visible(sql)}`;
  return row.count;
}

export const markReadSchema = z.object({ upToId: idSchema.optional() });

/**
 * Marks read every unread notification, or those up to and including `upToId` (ids grow
 * with creation, so that is "everything up to the newest one shown", whether or not that
 * one has been withdrawn meanwhile). Returns how many unread are left.
 */
export async function markNotificationsRead({ userId, upToId }: { userId: string; upToId?: string }): Promise<{ count: number }> {
  const input = parseInput(markReadSchema, { upToId });
  const sql = getSql();
  await sql`
    update notifications set read_at = now()
    where recipient_id = ${userId} and read_at is null ${input.upToId ? sql`and id <= ${input.upToId}::int8` : sql``}`;
  return { count: await countUnread(userId) };
}

function toNotificationDto(row: NotificationRow, post: PostDto | null): NotificationDto {
  return {
    id: row.id,
    type: row.type,
    createdAt: new Date(Number(row.created_ms)).toISOString(),
    actor: userLite(row.actor_id, row.actor_username, row.actor_display_name, row.actor_avatar_key),
    post,
    read: row.read,
  };
}
