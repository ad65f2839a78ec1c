import "server-only";
// The API's `Post` object and the one way to build it: every list (profile, feed, post
// page) turns post ids or rows into PostDtos here, with the viewer's likes in one query.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db";
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
 * Posts for the given ids, in the order given; deleted, unknown and malformed ids are
 * dropped (an id given twice comes back twice). Two queries whatever the number of ids:
 * posts with their authors, and the viewer's likes.
 */
export async function hydratePosts(ids: string[], viewerId: string | null): Promise<PostDto[]> {
  const wanted = [...new Set(ids.filter(isId))];
  if (wanted.length === 0) return [];
  const [rows, liked] = await Promise.all([
    getDb()
      .select({ ...postColumns, author: authorColumns })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(inArray(posts.id, wanted), isNull(posts.deletedAt))),
    likedAmong(wanted, viewerId),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toPostDto(row, liked.has(id))] : [];
  });
}

/** PostDtos for rows already read (e.g. one author's page), with the viewer's likes in one query. */
export async function postDtosFromRows(rows: PostRow[], viewerId: string | null): Promise<PostDto[]> {
  const liked = await likedAmong(
    rows.map((row) => row.id),
    viewerId,
  );
  return rows.map((row) => toPostDto(row, liked.has(row.id)));
}

export function toPostDto(row: PostRow, likedByMe: boolean): PostDto {
  return {
    id: row.id,
    author: { id: row.author.id, username: row.author.username, displayName: row.author.displayName },
    content: row.content,
    createdAt: row.createdAt.toISOString(),
    likeCount: row.likeCount,
    replyCount: row.replyCount,
    repostCount: row.repostCount,
    likedByMe,
  };
}

async function likedAmong(postIds: string[], viewerId: string | null): Promise<Set<string>> {
  if (!viewerId || postIds.length === 0) return new Set();
  const rows = await getDb()
    .select({ postId: likes.postId })
    .from(likes)
    .where(and(eq(likes.userId, viewerId), inArray(likes.postId, postIds)));
  return new Set(rows.map((row) => row.postId));
}
