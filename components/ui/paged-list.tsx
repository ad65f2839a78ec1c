"use client";
// Infinite scroll, once for every list that pages through an /api/v1 endpoint with a cursor
// (posts, notifications, live sessions): the next page is fetched when the list's end
// scrolls into view, and a "Load more" button at the end does the same when that does not
// happen (no IntersectionObserver) or failed.
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

export type PageStatus = "idle" | "loading" | "error";

export interface PageJson<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Calls `loadMore` whenever `sentinel` comes within 400 px of the screen while there is a
 * `cursor`. A new observer per cursor reports at once if the end is still in view, so a
 * short page keeps loading until it fills the screen.
 */
export function useLoadOnScroll(sentinel: RefObject<HTMLElement | null>, cursor: string | null, status: PageStatus, loadMore: () => Promise<void>) {
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !cursor || status === "error" || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loadMore();
    }, { rootMargin: "400px 0px" });
    observer.observe(target);
    return () => observer.disconnect();
  }, [sentinel, cursor, loadMore, status]);
}

/** The pages after a server-rendered first one: `older` grows as the reader scrolls. */
export function usePagedList<T>({ endpoint, initialCursor, what }: { endpoint: string; initialCursor: string | null; what: string }) {
  const [older, setOlder] = useState<T[]>([]);
  const [cursor, setCursor] = useState(initialCursor);
  const [status, setStatus] = useState<PageStatus>("idle");
  const loading = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const loadMore = useCallback(async () => {
    if (!cursor || loading.current) return;
    loading.current = true;
    setStatus("loading");
    try {
      const query = new URLSearchParams({ cursor, limit: "20" });
      // The endpoint may carry its own query (a search's `?q=`).
      const res = await fetch(`${endpoint}${endpoint.includes("?") ? "&" : "?"}${query}`, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`GET ${endpoint} answered ${res.status}`);
      const page = (await res.json()) as PageJson<T>;
      setOlder((items) => [...items, ...page.items]);
      setCursor(page.nextCursor);
      setStatus("idle");
    } catch (error) {
      console.error(`loading more ${what} failed`, error);
      setStatus("error");
    } finally {
      loading.current = false;
    }
  }, [cursor, endpoint, what]);

  useLoadOnScroll(sentinel, cursor, status, loadMore);
  return { older, cursor, status, loadMore, sentinel };
}

/** The end of a paged list: the scroll sentinel, an error, "Load more" or "That's everything". */
export function ListEnd({
  sentinel,
  cursor,
  status,
  onMore,
  loadedMore,
  errorText,
}: {
  sentinel: RefObject<HTMLDivElement | null>;
  cursor: string | null;
  status: PageStatus;
  onMore: () => Promise<void>;
  /** Whether any page after the first was loaded (only then is "That's everything" worth saying). */
  loadedMore: boolean;
  errorText: string;
}) {
  return (
    <div ref={sentinel} className="list-end">
      {status === "error" && (
        <p role="alert" className="inline-error">
          {errorText}
        </p>
      )}
      {cursor ? (
        <button type="button" className="button secondary" onClick={() => void onMore()} disabled={status === "loading"}>
          {status === "loading" ? "Loading…" : status === "error" ? "Try again" : "Load more"}
        </button>
      ) : (
        loadedMore && <p className="muted">That&apos;s everything.</p>
      )}
    </div>
  );
}
