"use client";
// The notifications page's list: the first page comes rendered from the server, older ones
// are fetched from /api/v1/notifications with the cursor as the end scrolls into view (a
// "Load more" button for when that does not happen or fails). Grouped over everything
// loaded. Once shown, the notifications are marked read up to the newest one, and the
// navigation's badge hears the new count at once.
import { useCallback, useEffect, useRef, useState } from "react";
import { markNotificationsReadAction } from "@/app/actions/notifications";
import type { NotificationDto } from "@/lib/notifications/queries";
import { groupNotifications } from "./group-notifications";
import { NotificationItem } from "./notification-item";
import { announceUnreadCount } from "./unread-badge";

interface Props {
  initialItems: NotificationDto[];
  initialCursor: string | null;
  viewerId: string;
}

type Status = "idle" | "loading" | "error";

const ENDPOINT = "/api/v1/notifications";

export function NotificationList({ initialItems, initialCursor, viewerId }: Props) {
  const [older, setOlder] = useState<NotificationDto[]>([]);
  const [cursor, setCursor] = useState(initialCursor);
  const [status, setStatus] = useState<Status>("idle");
  const loading = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);

  // Mark read what the server rendered: everything up to the newest id shown (ids grow
  // with creation, so older pages are covered too).
  useEffect(() => {
    if (!initialItems.some((n) => !n.read)) return;
    const newest = initialItems.reduce((max, n) => (BigInt(n.id) > BigInt(max) ? n.id : max), "0");
    void markNotificationsReadAction({ upToId: newest }).then((state) => {
      if (state.ok && typeof state.count === "number") announceUnreadCount(state.count);
      else if (state.error) console.warn("marking notifications read failed", state.error);
    });
  }, [initialItems]);

  const loadMore = useCallback(async () => {
    if (!cursor || loading.current) return;
    loading.current = true;
    setStatus("loading");
    try {
      const res = await fetch(`${ENDPOINT}?${new URLSearchParams({ cursor, limit: "20" })}`, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`GET ${ENDPOINT} answered ${res.status}`);
      const page = (await res.json()) as { items: NotificationDto[]; nextCursor: string | null };
      setOlder((items) => [...items, ...page.items]);
      setCursor(page.nextCursor);
      setStatus("idle");
    } catch (error) {
      console.error("loading older notifications failed", error);
      setStatus("error");
    } finally {
      loading.current = false;
    }
  }, [cursor]);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !cursor || status === "error" || typeof IntersectionObserver === "undefined") return;
    // A new observer per cursor: it reports at once if the end is still in view.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loadMore();
    }, { rootMargin: "400px 0px" });
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, loadMore, status]);

  const seen = new Set<string>();
  const items = [...initialItems, ...older].filter((n) => !seen.has(n.id) && seen.add(n.id));
  const groups = groupNotifications(items);

  if (groups.length === 0 && !cursor) {
    return (
      <div className="empty">
        <p className="empty-title">No notifications yet.</p>
        <p>When someone follows you, likes or reposts your posts, replies to you or mentions you, you will see it here.</p>
      </div>
    );
  }

  return (
    <div className="notification-list">
      <div className="notifications" aria-busy={status === "loading"}>
        {groups.map((group) => (
          <NotificationItem key={group.key} group={group} viewerId={viewerId} />
        ))}
      </div>
      <div ref={sentinel} className="list-end">
        {status === "error" && (
          <p role="alert" className="inline-error">
            Older notifications could not be loaded.
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
