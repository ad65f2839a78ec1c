import "server-only";
// A conversation around one post: the reply chain above it (one recursive query up
// posts.reply_to_id) and its direct replies, oldest first (keyset paging ascending on
// (created_at, id) over posts_reply_to_idx — never OFFSET). Deleted posts and posts whose
// author blocked the viewer are left out of both, but the chain is walked through them.
import { getReadSql, getSql } from "@/db";
import { decodeCursor, encodeCursor, type Page, type Position } from "@/lib/cursor";
import { notFound } from "@/lib/errors";
import { newerThan } from "@/lib/keyset-sql";
import { notBlockedBy, postSelect, postsFrom, toPostDto, withViewerFlags, type PostDto, type PostRow } from "./dto";
import { parsePostId } from "./ids";

/** How far up a chain is walked: a bound on the query, and on a (never expected) cycle. */
export const MAX_ANCESTORS = 50;

/** The posts above `postId` in its reply chain, root first. 404 if the post itself is not visible. */
export async function getContext({ postId, viewerId }: { postId: string; viewerId: string | null }): Promise<{ ancestors: PostDto[] }> {
  const id = parsePostId(postId);
  await requireVisible(id, viewerId);
  // From the read pool; the viewer's likedByMe / repostedByMe from the primary.
  const sql = getReadSql();
  // The walk reads only ids (deleted or hidden links included, so the chain above them is
  // still found); the filters apply once, to what is shown.
  const rows = await sql<PostRow[]>`
    with recursive chain (id, parent_id, depth) as (
      select id, reply_to_id, 0 from posts where id = ${id}
      union all
      select p.id, p.reply_to_id, c.depth + 1 from chain c join posts p on p.id = c.parent_id where c.depth < ${MAX_ANCESTORS}
    )
    select ${postSelect(sql, viewerId)} from ${postsFrom(sql)} join chain c on c.id = p.id
    where c.depth > 0 and p.deleted_at is null ${notBlockedBy(sql, viewerId)}
    order by c.depth desc`;
  return { ancestors: (await withViewerFlags(rows, viewerId)).map(toPostDto) };
}

/** The post's live direct replies, oldest first. 404 if the post itself is not visible. */
export async function listReplies({
  postId,
  viewerId,
  cursor,
  limit,
}: {
  postId: string;
  viewerId: string | null;
  cursor?: string;
  limit: number;
}): Promise<Page<PostDto>> {
  const id = parsePostId(postId);
  const after = decodeCursor(cursor);
  await requireVisible(id, viewerId);
  // One row more than the page: it says whether anything newer exists.
  const rows = await withViewerFlags(await repliesPageQuery({ postId: id, after, limit: limit + 1, viewerId }), viewerId);
  const page = rows.slice(0, limit).map(toPostDto);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor({ t: Date.parse(last.createdAt), id: last.id }) : null };
}

/**
 * One post's live replies strictly after `after`, oldest first: a range scan of
 * posts_reply_to_idx. A postgres.js fragment: awaited it runs, nested it can be EXPLAINed.
 */
export function repliesPageQuery({ postId, after, limit, viewerId = null }: { postId: string; after?: Position; limit: number; viewerId?: string | null }) {
  const sql = getReadSql();
  return sql<PostRow[]>`
    select ${postSelect(sql, viewerId)} from ${postsFrom(sql)}
    where p.reply_to_id = ${postId} and p.deleted_at is null ${after ? newerThan(sql, after) : sql``} ${notBlockedBy(sql, viewerId)}
    order by p.created_at, p.id
    limit ${limit}`;
}

/** A live post the viewer may see (its author did not block them), or a 404. The primary: a post just written must not 404. */
async function requireVisible(id: string, viewerId: string | null): Promise<void> {
  const sql = getSql();
  const rows = await sql`select 1 from posts p where p.id = ${id} and p.deleted_at is null ${notBlockedBy(sql, viewerId)}`;
  if (rows.length === 0) throw notFound("Post");
}
