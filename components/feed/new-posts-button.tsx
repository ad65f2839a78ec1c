"use client";
// "3 new posts" above the home feed: asks the server every ~15 s how many posts are newer
// than the newest one shown, only while the tab is visible, and once more on coming back
// to it (use-visible-polling.ts). Clicking re-renders the page from the server, which
// shows the newest posts, and scrolls to the top.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useVisiblePolling } from "@/components/ui/use-visible-polling";

/** The server counts at most this many (NEWER_COUNT_CAP in lib/feed/home-feed.ts). */
const COUNT_CAP = 20;
export const NEW_POSTS_POLL_MS = 15_000;

interface Props {
  /**
   * The cursor of the newest post shown (or of the epoch when the feed is empty). Render
   * with `key={since}`: a count belongs to one `since`, and a new first page starts afresh.
   */
  since: string;
  intervalMs?: number;
}

export function NewPostsButton({ since, intervalMs = NEW_POSTS_POLL_MS }: Props) {
  const router = useRouter();
  const [count, setCount] = useState(0);
  const [pending, startTransition] = useTransition();

  useVisiblePolling({
    what: "checking for new posts",
    intervalMs,
    restartKey: since,
    poll: async (signal) => {
      const res = await fetch(`/api/v1/feed/new?${new URLSearchParams({ since })}`, { headers: { accept: "application/json" }, signal });
      // Logged out meanwhile (or a stale cursor): asking again will not help.
      if (res.status === 401 || res.status === 400) return false;
      if (!res.ok) throw new Error(`GET /api/v1/feed/new answered ${res.status}`);
      const { count } = (await res.json()) as { count: number };
      if (!signal.aborted) setCount(count);
    },
  });

  function showNewPosts() {
    window.scrollTo({ top: 0, behavior: "smooth" });
    startTransition(() => {
      router.refresh();
      // Usually the new first page remounts this button anyway (its key is `since`).
      setCount(0);
    });
  }

  const label = count >= COUNT_CAP ? `${COUNT_CAP}+ new posts` : count === 1 ? "1 new post" : `${count} new posts`;
  return (
    <div className="new-posts" aria-live="polite" data-poll-interval={intervalMs}>
      {count > 0 && (
        <button type="button" className="button small new-posts-button" onClick={showNewPosts} disabled={pending}>
          {pending ? "Loading…" : label}
        </button>
      )}
    </div>
  );
}
