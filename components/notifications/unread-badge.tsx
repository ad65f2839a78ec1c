"use client";
// The navigation's "Notifications" item with the unread count: asked of the server on
// mount, every ~30 s while the tab is visible, and on coming back to the window. The
// notifications page announces the count left after it marks them read, so the badge
// clears without waiting for the next poll.
import { useEffect, useState } from "react";
import { BellIcon } from "@/components/ui/icons";
import { NavLink } from "@/components/ui/nav-link";
import { useVisiblePolling } from "@/components/ui/use-visible-polling";

export const UNREAD_POLL_MS = 30_000;
const UNREAD_EVENT = "starling:notifications-unread";

/** Tells every badge on the page how many notifications are unread now. */
export function announceUnreadCount(count: number): void {
  window.dispatchEvent(new CustomEvent<number>(UNREAD_EVENT, { detail: count }));
}

export function NotificationsLink({ intervalMs = UNREAD_POLL_MS }: { intervalMs?: number }) {
  const [count, setCount] = useState(0);

  useVisiblePolling({
    what: "checking unread notifications",
    intervalMs,
    immediate: true,
    pollOnFocus: true,
    poll: async (signal) => {
      const res = await fetch("/api/v1/notifications/unread", { headers: { accept: "application/json" }, signal });
      // Logged out meanwhile: asking again will not help.
      if (res.status === 401) return false;
      if (!res.ok) throw new Error(`GET /api/v1/notifications/unread answered ${res.status}`);
      const { count } = (await res.json()) as { count: number };
      if (!signal.aborted) setCount(count);
    },
  });

  // The notifications page says how many are left unread once it marked them read.
  useEffect(() => {
    const onAnnounce = (event: Event) => setCount((event as CustomEvent<number>).detail);
    window.addEventListener(UNREAD_EVENT, onAnnounce);
    return () => window.removeEventListener(UNREAD_EVENT, onAnnounce);
  }, []);

  return (
    <NavLink
      href="/notifications"
      label="Notifications"
      icon={<BellIcon />}
      badge={
        count > 0 && (
          <span className="unread-badge" aria-hidden="true">
            {count > 99 ? "99+" : count}
          </span>
        )
      }
      after={count > 0 && <span className="visually-hidden">, {count} unread</span>}
    />
  );
}
