"use client";
// A paginated list of posts (a profile's, the home feed): the first page comes rendered
// from the server; older pages are fetched from the JSON list endpoint with the cursor
// when the end of the list scrolls into view, with a "Load more" button for when that
// does not happen (or fails).
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { PostCard, type PostCardItem } from "./post-card";

interface Props {
  /** A /api/v1 list endpoint answering `?cursor&limit` with `{items: Post[] | FeedItem[], nextCursor}`. */
  endpoint: string;
  initialItems: PostCardItem[];
  initialCursor: string | null;
  viewerId: string | null;
  /** Shown when there are no posts (also once the last one is deleted). */
  empty: ReactNode;
}

type Status = "idle" | "loading" | "error";

export function PostList({ endpoint, initialItems, initialCursor, viewerId, empty }: Props) {
  const [older, setOlder] = useState<PostCardItem[]>([]);
  const [cursor, setCursor] = useState(initialCursor);
  const [status, setStatus] = useState<Status>("idle");
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const loading = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const loadMore = useCallback(async () => {
    if (!cursor || loading.current) return;
    loading.current = true;
    setStatus("loading");
    try {
      const params = new URLSearchParams({ cursor, limit: "20" });
      const res = await fetch(`${endpoint}?${params}`, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`GET ${endpoint} answered ${res.status}`);
      const page = (await res.json()) as { items: PostCardItem[]; nextCursor: string | null };
      setOlder((items) => [...items, ...page.items]);
      setCursor(page.nextCursor);
      setStatus("idle");
    } catch (error) {
      console.error("loading older posts failed", error);
      setStatus("error");
    } finally {
      loading.current = false;
    }
  }, [cursor, endpoint]);

  useEffect(() => {
    const target = sentinel.current;
    // Without IntersectionObserver (old browsers) the "Load more" button does the work.
    if (!target || !cursor || status === "error" || typeof IntersectionObserver === "undefined") return;
    // A new observer per cursor: it reports at once if the end is still in view, so a
    // short page keeps loading until it fills the screen.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loadMore();
    }, { rootMargin: "400px 0px" });
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, loadMore, status]);

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
      <div ref={sentinel} className="list-end">
        {status === "error" && (
          <p role="alert" className="inline-error">
            Older posts could not be loaded.
          </p>
        )}
        {cursor ? (
          <button type="button" className="button secondary" onClick={() => void loadMore()} disabled={status === "loading"}>
            {status === "loading" ? "Loading…" : status === "error" ? "Try again" : "Load more"}
          </button>
        ) : (
          older.length > 0 && <p className="muted">That&apos;s everything.</p>
        )}
      </div>
    </div>
  );
}
