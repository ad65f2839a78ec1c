import type { Metadata } from "next";
import Link from "next/link";
import { redirect, unstable_rethrow } from "next/navigation";
import { LiveFeed } from "@/components/live/live-feed";
import { sessionsSignature } from "@/components/live/group-sessions";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import type { Page } from "@/lib/cursor";
import type { LiveSessionDto } from "@/lib/live/dto";
import { getLiveFeed } from "@/lib/live/feed";

export const metadata: Metadata = { title: "Live" };

export default async function LivePage() {
  const viewer = await getCurrentUser();
  if (!viewer) redirect("/login?next=/live");
  const page = await readFeed(viewer);
  return (
    <section className="live-page" aria-labelledby="live-title">
      <div className="live-page-head">
        <h1 id="live-title" className="page-title">
          Live
        </h1>
        <Link href={`/u/${viewer.username}#live`} className="button small secondary">
          Schedule a session
        </Link>
      </div>
      {page ? (
        <LiveFeed
          // A new first page from the server (a navigation back here) starts the list afresh.
          key={`${sessionsSignature(page.items)}:${page.nextCursor ?? ""}`}
          initialItems={page.items}
          initialCursor={page.nextCursor}
          empty={
            <>
              <p className="empty-title">Nothing live right now.</p>
              <p>When people you follow schedule or start a live session, it shows up here; their replays too.</p>
            </>
          }
        />
      ) : (
        <div role="alert" className="empty feed-error">
          <p className="empty-title">Live sessions could not be loaded right now.</p>
          <p>
            This is on our side. Please <Link href="/live">try again</Link> in a moment.
          </p>
        </div>
      )}
    </section>
  );
}

/** The first page of the Live feed, or null (logged) when it cannot be read: the page still shows. */
async function readFeed(viewer: CurrentUser): Promise<Page<LiveSessionDto> | null> {
  try {
    return await getLiveFeed({ viewerId: viewer.id, limit: 20 });
  } catch (error) {
    unstable_rethrow(error);
    console.error("reading the live feed failed", { userId: viewer.id, error });
    return null;
  }
}
