import "server-only";
// The API's `Post` object and the one way to build it: every list (profile, feed, post
// page) turns post ids or rows into PostDtos here, the viewer's like read with the counts.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { follows, likes, posts, users } from "@/db/schema";
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
  const rows = await getDb()
    .select({ ...postColumns, likedByMe: likedByMeColumn(viewerId), author: authorColumns })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(
      and(
        inArray(posts.id, wanted),
        isNull(posts.deletedAt),
        inFeedOf
          ? sql`(${posts.authorId} = ${inFeedOf} or exists (select 1 from ${follows} where ${follows.followerId} = ${inFeedOf} and ${follows.followeeId} = ${posts.authorId}))`
          : undefined,
      ),
    );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toPostDto(row)] : [];
  });
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

