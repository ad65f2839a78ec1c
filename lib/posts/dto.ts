import "server-only";
// The API's `Post` object and the one way to build it: every list (profile, feed, thread,
// notifications) selects posts with `postSelect` and maps the rows with `toPostDto`, the
// viewer's like and repost read in the same statement as the counts.
import { getSql, hasReadReplica } from "@/db";
import { avatarUrl, toMediaDto, type MediaDto, type MediaFields } from "@/lib/media/dto";
import { isId } from "./ids";

export type { MediaDto } from "@/lib/media/dto";

export interface UserLite {
  id: string;
  username: string;
  displayName: string;
  /** null: no avatar set, the client draws a fallback. */
  avatarUrl: string | null;
}

/** The one way to build a UserLite: every query that names a user selects its avatar_key too. */
export function userLite(id: string, username: string, displayName: string, avatarKey: string | null): UserLite {
  return { id, username, displayName, avatarUrl: avatarUrl(avatarKey) };
}

export interface PostDto {
  id: string;
  author: UserLite;
  content: string;
  /** ISO-8601 UTC, millisecond precision. */
  createdAt: string;
  likeCount: number;
  replyCount: number;
  repostCount: number;
  /** False when logged out. */
  likedByMe: boolean;
  repostedByMe: boolean;
  /** The post this one answers (null for a top-level post); kept when the parent is deleted. */
  replyTo: { id: string; author: UserLite } | null;
  /** Attached images, in upload order. */
  media: MediaDto[];
}

type Sql = ReturnType<typeof getSql>;

/** What `postSelect` selects, as postgres.js returns it. */
export interface PostRow {
  id: string;
  content: string;
  /** Milliseconds since the epoch (timestamps are left unparsed on this shared client). */
  created_ms: string;
  like_count: number;
  reply_count: number;
  repost_count: number;
  liked_by_me: boolean;
  reposted_by_me: boolean;
  author_id: string;
  username: string;
  display_name: string;
  avatar_key: string | null;
  reply_to_id: string | null;
  reply_to_user_id: string | null;
  reply_to_username: string | null;
  reply_to_display_name: string | null;
  reply_to_avatar_key: string | null;
  /** json_agg of the post's media rows, oldest first. */
  media: MediaJson[];
}

/** A media row as the json_agg in `postSelect` gives it. */
type MediaJson = MediaFields;

/**
 * The select list of a PostRow for `posts p join users u on u.id = p.author_id left join
 * users ru on ru.id = p.reply_to_user_id` (see `postsFrom`). Whether the viewer likes or
 * reposted the post is read in the same statement as its counts: one snapshot, so a page
 * never shows "liked" beside a count from before the like. The images come from the same
 * statement too: a correlated subquery over media_post_idx (most posts have none: one
 * index probe).
 */
export function postSelect(sql: Sql, viewerId: string | null) {
  return sql`p.id::text as id, p.content, (extract(epoch from p.created_at) * 1000)::int8::text as created_ms,
    p.like_count, p.reply_count, p.repost_count,
    ${viewerId ? sql`exists (select 1 from likes l where l.user_id = ${viewerId} and l.post_id = p.id)` : sql`false`} as liked_by_me,
    ${viewerId ? sql`exists (select 1 from reposts r where r.user_id = ${viewerId} and r.post_id = p.id)` : sql`false`} as reposted_by_me,
    u.id::text as author_id, u.username, u.display_name, u.avatar_key,
    p.reply_to_id::text as reply_to_id, ru.id::text as reply_to_user_id, ru.username as reply_to_username, ru.display_name as reply_to_display_name,
    ru.avatar_key as reply_to_avatar_key,
    coalesce((select json_agg(json_build_object('id', m.id::text, 'key', m.key, 'thumbKey', m.thumb_key, 'width', m.width, 'height', m.height, 'altText', m.alt_text) order by m.id)
      from media m where m.post_id = p.id), '[]'::json) as media`;
}

/** The tables `postSelect` reads. */
export function postsFrom(sql: Sql) {
  return sql`posts p join users u on u.id = p.author_id left join users ru on ru.id = p.reply_to_user_id`;
}

/**
 * Hides posts whose author blocked the viewer: to them, the blocker's posts do not exist.
 * A primary-key probe per post.
 */
export function notBlockedBy(sql: Sql, viewerId: string | null) {
  return viewerId ? sql`and not exists (select 1 from blocks b where b.blocker_id = p.author_id and b.blocked_id = ${viewerId})` : sql``;
}

/**
 * Posts for the given ids, in the order given; deleted, unknown and malformed ids are
 * dropped, and so are the posts of authors who blocked the viewer (an id given twice comes
 * back twice). One query whatever the number of ids.
 */
export async function hydratePosts(ids: string[], viewerId: string | null): Promise<PostDto[]> {
  const wanted = [...new Set(ids.filter(isId))];
  if (wanted.length === 0) return [];
  // Plain postgres.js, so it is a prepared statement whose text does not change with the
  // number of ids (= any of one array parameter).
  const sql = getSql();
  const rows = await sql<PostRow[]>`
    select ${postSelect(sql, viewerId)} from ${postsFrom(sql)}
    where p.id = any(${wanted}::int8[]) and p.deleted_at is null ${notBlockedBy(sql, viewerId)}`;
  const byId = new Map(rows.map((r) => [r.id, toPostDto(r)]));
  return ids.flatMap((id) => {
    const post = byId.get(id);
    return post ? [post] : [];
  });
}

/**
 * Rows read from the read pool carry the replica's likedByMe / repostedByMe, which may not
 * have the viewer's toggle of a moment ago yet: these two come from the primary instead
 * (two index probes per post, in one statement). Without a replica the rows came from the
 * primary, flags and counts in one snapshot, and are returned as they are.
 */
export async function withViewerFlags<R extends PostRow>(rows: R[], viewerId: string | null): Promise<R[]> {
  if (!viewerId || rows.length === 0 || !hasReadReplica()) return rows;
  const sql = getSql();
  const ids = [...new Set(rows.map((r) => r.id))];
  const flags = await sql<Array<{ id: string; liked: boolean; reposted: boolean }>>`
    select x.id::text as id,
      exists (select 1 from likes l where l.user_id = ${viewerId} and l.post_id = x.id) as liked,
      exists (select 1 from reposts r where r.user_id = ${viewerId} and r.post_id = x.id) as reposted
    from unnest(${ids}::int8[]) as x(id)`;
  const byId = new Map(flags.map((f) => [f.id, f]));
  return rows.map((r) => ({ ...r, liked_by_me: byId.get(r.id)?.liked ?? false, reposted_by_me: byId.get(r.id)?.reposted ?? false }));
}

export function toPostDto(row: PostRow): PostDto {
  return {
    id: row.id,
    author: userLite(row.author_id, row.username, row.display_name, row.avatar_key),
    content: row.content,
    createdAt: new Date(Number(row.created_ms)).toISOString(),
    likeCount: row.like_count,
    replyCount: row.reply_count,
    repostCount: row.repost_count,
    likedByMe: row.liked_by_me,
    repostedByMe: row.reposted_by_me,
    replyTo:
      row.reply_to_id && row.reply_to_user_id
        ? { id: row.reply_to_id, author: userLite(row.reply_to_user_id, row.reply_to_username!, row.reply_to_display_name!, row.reply_to_avatar_key) }
        : null,
    media: row.media.map(toMediaDto),
  };
}
