"use client";
// The navigation's "Notifications" link with the unread count: asked of the server on
// mount, every ~30 s while the tab is visible, and on coming back to the window. The
// notifications page announces the count left after it marks them read, so the badge
// clears without waiting for the next poll.
import Link from "next/link";
import { useEffect, useState } from "react";

export const UNREAD_POLL_MS = 30_000;
const UNREAD_EVENT = "starling:notifications-unread";

/** Tells every badge on the page how many notifications are unread now. */
export function announceUnreadCount(count: number): void {
  window.dispatchEvent(new CustomEvent<number>(UNREAD_EVENT, { detail: count }));
}

export function NotificationsLink({ intervalMs = UNREAD_POLL_MS }: { intervalMs?: number }) {
  const [count, setCount] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let checking = false;
    const controller = new AbortController();

    async function check() {
      if (checking) return;
      checking = true;
      try {
        const res = await fetch("/api/v1/notifications/unread", { headers: { accept: "application/json" }, signal: controller.signal });
        // Logged out meanwhile: asking again will not help.
        if (res.status === 401) stopped = true;
        else if (!res.ok) throw new Error(`GET /api/v1/notifications/unread answered ${res.status}`);
        else if (!stopped) setCount(((await res.json()) as { count: number }).count);
      } catch (error) {
        // A dropped connection or a busy server: the next tick tries again.
        if (!controller.signal.aborted) console.warn("checking unread notifications failed", error);
      } finally {
        checking = false;
      }
    }

    function schedule() {
      clearTimeout(timer);
      if (!stopped && document.visibilityState === "visible") timer = setTimeout(() => void tick(), intervalMs);
    }

    async function tick() {
      await check();
      schedule();
    }

    function onFocus() {
      if (!stopped && document.visibilityState === "visible") void tick();
    }

    const onAnnounce = (event: Event) => setCount((event as CustomEvent<number>).detail);

    void tick();
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onFocus);
    window.addEventListener(UNREAD_EVENT, onAnnounce);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onFocus);
      window.removeEventListener(UNREAD_EVENT, onAnnounce);
    };
  }, [intervalMs]);

  return (
    <Link href="/notifications" className="notifications-link">
      Notifications
      {count > 0 && (
        <span className="unread-badge">
          <span aria-hidden="true">{count > 99 ? "99+" : count}</span>
          <span className="visually-hidden">, {count} unread</span>
        </span>
      )}
    </Link>
  );
}
