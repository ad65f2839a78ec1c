"use client";
// The notifications page's list: the first page comes rendered from the server, older ones
// are fetched from /api/v1/notifications with the cursor as the end scrolls into view (a
// "Load more" button for when that does not happen or fails). Grouped over everything
// loaded. Once shown, the notifications are marked read up to the newest one, and the
// navigation's badge hears the new count at once.
import { useEffect } from "react";
import { markNotificationsReadAction } from "@/app/actions/notifications";
import type { NotificationDto } from "@/lib/notifications/queries";
import { ListEnd, usePagedList } from "@/components/ui/paged-list";
import { groupNotifications } from "@/components/notifications/group-notifications";
import { NotificationItem } from "@/components/notifications/notification-item";
import { announceUnreadCount } from "@/components/notifications/unread-badge";

interface Props {
  initialItems: NotificationDto[];
  initialCursor: string | null;
  viewerId: string;
}

const ENDPOINT = "/api/v1/notifications";

export function NotificationList({ initialItems, initialCursor, viewerId }: Props) {
  const { older, cursor, status, loadMore, sentinel } = usePagedList<NotificationDto>({ endpoint: ENDPOINT, initialCursor, what: "notifications" });

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
      <ListEnd sentinel={sentinel} cursor={cursor} status={status} onMore={loadMore} loadedMore={older.length > 0} errorText="Older notifications could not be loaded." />
    </div>
  );
}
