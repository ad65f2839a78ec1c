import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NotificationList } from "@/components/notifications/notification-list";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listNotifications } from "@/lib/notifications/queries";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const viewer = await getCurrentUser();
  if (!viewer) redirect("/login?next=/notifications");
  const page = await listNotifications({ userId: viewer.id, limit: 20 });
  const newest = page.items[0];
  return (
    <section className="notifications-page" aria-labelledby="notifications-title">
      <h1 id="notifications-title" className="page-title">
        Notifications
      </h1>
      <NotificationList
        // A changed first page (a refresh with new notifications) starts the list afresh.
        key={`${newest?.id ?? ""}:${page.nextCursor ?? ""}`}
        initialItems={page.items}
        initialCursor={page.nextCursor}
        viewerId={viewer.id}
      />
    </section>
  );
}
