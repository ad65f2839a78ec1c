import "server-only";
// Reading posts: one post, and one author's personal timeline (newest first, keyset
// pagination on (created_at, id) over posts_author_created_idx — never OFFSET).
import { getReadSql, getSql } from "@/db";
import { notFound } from "@/lib/errors";
import { decodeCursor, encodeCursor, type Page, type Position } from "@/lib/cursor";
import { olderThan } from "@/lib/keyset-sql";
import { findUserByUsername } from "@/lib/users/lookup";
import { isBlockedBy } from "@/lib/relationships/queries";
import { hydratePosts, notBlockedBy, postSelect, postsFrom, toPostDto, withViewerFlags, type PostDto, type PostRow } from "./dto";
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
  visibleAuthor,
}: {
  username: string;
  cursor?: string;
  limit: number;
  viewerId: string | null;
  /** The author, when the caller has looked them up for this viewer already (a profile page): two queries fewer. */
  visibleAuthor?: { id: string };
}): Promise<Page<PostDto>> {
  const after = decodeCursor(cursor);
  const author = visibleAuthor ?? (await findUserByUsername(username));
  // To someone they blocked, the author does not exist.
  if (!author || (!visibleAuthor && viewerId && (await isBlockedBy({ viewerId, userId: author.id })))) throw notFound("User");

  // One row more than the page: it says whether anything older exists.
  // Others' pages from the read pool (the viewer's flags from the primary); one's own from
  // the primary, where the post just written is.
  const own = viewerId === author.id;
  const rows = await withViewerFlags(await authorPageQuery({ authorId: author.id, after, limit: limit + 1, viewerId, sql: own ? getSql() : getReadSql() }), own ? null : viewerId);
  const page = rows.slice(0, limit).map(toPostDto);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor({ t: Date.parse(last.createdAt), id: last.id }) : null };
}

/**
 * One author's live posts strictly older than `after`, newest first: a range scan of
 * posts_author_created_idx. A postgres.js fragment: awaited it runs, nested it can be
 * EXPLAINed.
 */
export function authorPageQuery({
  authorId,
  after,
  limit,
  viewerId = null,
  sql = getSql(),
}: {
  authorId: string;
  after?: Position;
  limit: number;
  viewerId?: string | null;
  sql?: ReturnType<typeof getSql>;
}) {
  return sql<PostRow[]>`
    select ${postSelect(sql, viewerId)} from ${postsFrom(sql)}
    where p.author_id = ${authorId} and p.deleted_at is null ${olderThan(sql, after)} ${notBlockedBy(sql, viewerId)}
    order by p.created_at desc, p.id desc
    limit ${limit}`;
}
