import "server-only";
// Post search, newest first: words through full-text search ('simple' config: words match
// as written, in any language), #tags as whole hashtags, and terms in unspaced scripts
// (CJK, Thai) as substrings through the trigram index. Every part of the query must match.
// Keyset paging on (created_at, id) with the shared cursor; deleted posts never, and never
// the posts of an author who blocked the viewer.
import { getReadSql } from "@/db";
import { decodeCursor, encodeCursor, type Page, type Position } from "@/lib/cursor";
import { olderThan } from "@/lib/keyset-sql";
import { notBlockedBy, postSelect, postsFrom, toPostDto, withViewerFlags, type PostDto, type PostRow } from "@/lib/posts/dto";
import { escapeLike, parsePostQuery, type PostQuery } from "./syntax";

export async function searchPosts({
  q,
  cursor,
  limit,
  viewerId,
}: {
  q: string;
  cursor?: string | null;
  limit: number;
  viewerId: string | null;
}): Promise<Page<PostDto>> {
  const after = decodeCursor(cursor);
  const query = parsePostQuery(q);
  if (!query) return { items: [], nextCursor: null };
  // One row more than the page: it says whether anything older exists.
  // From the read pool; the viewer's likedByMe / repostedByMe from the primary.
  const rows = await withViewerFlags(await searchPostsQuery({ query, after, limit: limit + 1, viewerId }), viewerId);
  const page = rows.slice(0, limit).map(toPostDto);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor({ t: Date.parse(last.createdAt), id: last.id }) : null };
}

/**
 * The statement behind a page. A postgres.js fragment: awaited it runs, nested it can be
 * EXPLAINed. The expressions match the indexes of migration 0006 exactly
 * (to_tsvector('simple', content) and lower(content), both on live posts).
 */
export function searchPostsQuery({ query, after, limit, viewerId }: { query: PostQuery; after?: Position; limit: number; viewerId: string | null }) {
  const sql = getReadSql();
  // A tag's words must be there (the index finds the candidates), and then as the hashtag
  // itself: "#tag" not followed by more tag characters, so #cat does not find #catalog.
  const fts = [query.words, ...query.tags].filter(Boolean).join(" ");
  const conditions = [
    fts ? sql`and to_tsvector('simple'::regconfig, p.content) @@ plainto_tsquery('simple'::regconfig, ${fts})` : sql``,
    ...query.tags.map((tag) => sql`and p.content ~* ${`(^|[^[:alnum:]_])#${escapeRegex(tag)}([^[:alnum:]_]|$)`}`),
    ...query.substrings.map((term) => sql`and lower(p.content) like lower(${`%${escapeLike(term)}%`})`),
  ].reduce((all, condition) => sql`${all} ${condition}`, sql``);
  return sql<PostRow[]>`
    select ${postSelect(sql, viewerId)} from ${postsFrom(sql)}
    where p.deleted_at is null ${conditions} ${olderThan(sql, after)} ${notBlockedBy(sql, viewerId)}
    order by p.created_at desc, p.id desc
    limit ${limit}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
}
