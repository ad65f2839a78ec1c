import "server-only";
// Reading posts: one post, and one author's personal timeline (newest first, keyset
// pagination on (created_at, id) over posts_author_created_idx — never OFFSET).
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { posts, users } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { decodeCursor, encodeCursor, type Page, type Position } from "@/lib/cursor";
import { hydratePosts, likedByMeColumn, postColumns, toPostDto, type PostDto } from "./dto";
import { parsePostId } from "./ids";

export async function getPost({ postId, viewerId }: { postId: string; viewerId: string | null }): Promise<PostDto> {
  const [post] = await hydratePosts([parsePostId(postId)], viewerId);
  if (!post) throw notFound("Post");
  return post;
}

export async function listUserPosts({
  username,
  cursor,
  limit,
  viewerId,
}: {
  username: string;
  cursor?: string;
  limit: number;
  viewerId: string | null;
}): Promise<Page<PostDto>> {
  const after = decodeCursor(cursor);
  const [author] = await getDb()
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    // Usernames are stored lower-case; /users/Alice/posts is Alice's timeline too.
    .where(eq(users.username, username.trim().toLowerCase()))
    .limit(1);
  if (!author) throw notFound("User");

  // One row more than the page: it says whether anything older exists.
  const rows = await authorPageQuery({ authorId: author.id, after, limit: limit + 1, viewerId });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const items = page.map((row) => toPostDto({ ...row, author }));
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ t: last.createdAt.getTime(), id: last.id }) : null,
  };
}

/** One author's live posts strictly older than `after`, newest first: a range scan of posts_author_created_idx. */
export function authorPageQuery({ authorId, after, limit, viewerId = null }: { authorId: string; after?: Position; limit: number; viewerId?: string | null }) {
  return getDb()
    .select({ ...postColumns, likedByMe: likedByMeColumn(viewerId) })
    .from(posts)
    .where(
      and(
        eq(posts.authorId, authorId),
        isNull(posts.deletedAt),
        // A row comparison on the index's own columns: an index range scan, strictly older.
        // epoch + t ms is exact for any cursor time (a far-future one included).
        after
          ? sql`(${posts.createdAt}, ${posts.id}) < (timestamptz 'epoch' + ${String(after.t)}::int8 * interval '1 millisecond', ${after.id}::int8)`
          : undefined,
      ),
    )
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(limit);
}
