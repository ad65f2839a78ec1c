"use client";
// A paginated list of posts (a profile's, the home feed): the first page comes rendered
// from the server; older pages are fetched from the JSON list endpoint with the cursor
// when the end of the list scrolls into view, with a "Load more" button for when that
// does not happen (or fails).
import { useState, type ReactNode } from "react";
import { ListEnd, usePagedList } from "@/components/ui/paged-list";
import { PostCard, type PostCardItem } from "@/components/post/post-card";

interface Props {
  /** A /api/v1 list endpoint answering `?cursor&limit` with `{items: Post[] | FeedItem[], nextCursor}`. */
  endpoint: string;
  initialItems: PostCardItem[];
  initialCursor: string | null;
  viewerId: string | null;
  /** Shown when there are no posts (also once the last one is deleted). */
  empty: ReactNode;
}

export function PostList({ endpoint, initialItems, initialCursor, viewerId, empty }: Props) {
  const { older, cursor, status, loadMore, sentinel } = usePagedList<PostCardItem>({ endpoint, initialCursor, what: "posts" });
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());

  const seen = new Set<string>();
  const posts = [...initialItems, ...older].filter((post) => {
    if (seen.has(post.id) || removed.has(post.id)) return false;
    seen.add(post.id);
    return true;
  });

  if (posts.length === 0 && !cursor) return <div className="empty">{empty}</div>;

  return (
    <div className="post-list">
      <div className="posts" aria-busy={status === "loading"}>
        {posts.map((post) => (
          <PostCard
            key={post.id}
            post={post}
            viewerId={viewerId}
            onDeleted={() => setRemoved((ids) => new Set(ids).add(post.id))}
          />
        ))}
      </div>
      <ListEnd sentinel={sentinel} cursor={cursor} status={status} onMore={loadMore} loadedMore={older.length > 0} errorText="Older posts could not be loaded." />
    </div>
  );
}
