import "server-only";
// The API's `Post` object and the one way to build it: every list (profile, feed, post
// page) turns post ids or rows into PostDtos here, the viewer's like read with the counts.
import { sql } from "drizzle-orm";
import { getSql } from "@/db";
import { likes, posts, users } from "@/db/schema";
import { isId } from "./ids";

export interface PostDto {
  id: string;
  author: { id: string; username: string; displayName: string };
  content: string;
  /** ISO-8601 UTC, millisecond precision. */
  createdAt: string;
  likeCount: number;
  replyCount: number;
  repostCount: number;
  /** False when logged out. */
  likedByMe: boolean;
}

/** A live post row with its author, as the queries in lib/posts select it. */
export interface PostRow {
  id: string;
  content: string;
  createdAt: Date;
  likeCount: number;
  replyCount: number;
  repostCount: number;
  likedByMe: boolean;
  author: PostDto["author"];
}

/** The columns of a PostRow, minus the author: spread into a select. */
export const postColumns = {
  id: posts.id,
  content: posts.content,
  createdAt: posts.createdAt,
  likeCount: posts.likeCount,
  replyCount: posts.replyCount,
  repostCount: posts.repostCount,
};

export const authorColumns = { id: users.id, username: users.username, displayName: users.displayName };

/**
 * Whether the viewer likes the post, read in the same statement as its counts: one
 * snapshot, so a page never shows "liked" beside a count from before the like.
 */
export function likedByMeColumn(viewerId: string | null) {
  return viewerId
    ? sql<boolean>`exists (select 1 from ${likes} where ${likes.userId} = ${viewerId} and ${likes.postId} = ${posts.id})`
    : sql<boolean>`false`;
}

/**
 * Posts for the given ids, in the order given; deleted, unknown and malformed ids are
 * dropped (an id given twice comes back twice). One query whatever the number of ids:
 * posts with their authors, and the viewer's likes.
 *
 * `inFeedOf`: keep only posts that belong in that user's home feed right now (their own,
 * or by someone they follow), so a cached feed entry that an unfollow has not yet
 * removed is never shown.
 */
export async function hydratePosts(ids: string[], viewerId: string | null, { inFeedOf }: { inFeedOf?: string } = {}): Promise<PostDto[]> {
  const wanted = [...new Set(ids.filter(isId))];
  if (wanted.length === 0) return [];
  // The hottest query of the app (every feed page): plain postgres.js, so it is a prepared
  // statement whose text does not change with the number of ids (= any of one array
  // parameter). Measured at a quarter of the Drizzle query's time (bench/feed.ts).
  const sql = getSql();
  const rows = await sql<HydratedRow[]>`
    select p.id::text as id, p.content, (extract(epoch from p.created_at) * 1000)::int8::text as created_ms, p.like_count, p.reply_count, p.repost_count,
      ${viewerId ? sql`exists (select 1 from likes l where l.user_id = ${viewerId} and l.post_id = p.id)` : sql`false`} as liked_by_me,
      u.id::text as author_id, u.username, u.display_name
    from posts p join users u on u.id = p.author_id
    where p.id = any(${wanted}::int8[]) and p.deleted_at is null
      ${inFeedOf ? sql`and (p.author_id = ${inFeedOf} or exists (select 1 from follows f where f.follower_id = ${inFeedOf} and f.followee_id = p.author_id))` : sql``}`;
  const byId = new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        content: r.content,
        createdAt: new Date(Number(r.created_ms)),
        likeCount: r.like_count,
        replyCount: r.reply_count,
        repostCount: r.repost_count,
        likedByMe: r.liked_by_me,
        author: { id: r.author_id, username: r.username, displayName: r.display_name },
      },
    ]),
  );
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toPostDto(row)] : [];
  });
}

interface HydratedRow {
  id: string;
  content: string;
  /** Milliseconds since the epoch (Drizzle leaves timestamps unparsed on this shared client). */
  created_ms: string;
  like_count: number;
  reply_count: number;
  repost_count: number;
  liked_by_me: boolean;
  author_id: string;
  username: string;
  display_name: string;
}

export function toPostDto(row: PostRow): PostDto {
  return {
    id: row.id,
    author: { id: row.author.id, username: row.author.username, displayName: row.author.displayName },
    content: row.content,
    createdAt: row.createdAt.toISOString(),
    likeCount: row.likeCount,
    replyCount: row.replyCount,
    repostCount: row.repostCount,
    likedByMe: row.likedByMe,
  };
}

