// The public timeline as a page section (/explore and the logged-out home page): the first
// page rendered on the server, older ones fetched from GET /api/v1/timelines/public while
// scrolling. A repost is its own item there; the list shows each post once, at its newest.
import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import { PostList } from "@/components/feed/post-list";
import type { Page } from "@/lib/cursor";
import type { FeedItemDto } from "@/lib/feed/feed-item";
import { getPublicTimeline } from "@/lib/timelines/public";

interface Props {
  viewerId: string | null;
  title: string;
  /** The section's heading level: the page's own title, or a section under it. */
  headingLevel?: 1 | 2;
}

export async function PublicTimeline({ viewerId, title, headingLevel = 2 }: Props) {
  const page = await readFirstPage(viewerId);
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <section className="public-timeline" aria-labelledby="public-timeline-title">
      <Heading id="public-timeline-title" className={headingLevel === 1 ? "page-title" : "section-title"}>
        {title}
      </Heading>
      {page ? (
        <PostList
          key={`${page.items[0]?.id ?? ""}:${page.nextCursor ?? ""}`}
          endpoint="/api/v1/timelines/public"
          initialItems={page.items}
          initialCursor={page.nextCursor}
          viewerId={viewerId}
          empty={
            <>
              <p className="empty-title">Nobody has posted yet.</p>
              <p>{viewerId ? "Be the first: write something on your home page." : <><Link href="/register">Create an account</Link> and be the first.</>}</p>
            </>
          }
        />
      ) : (
        <div role="alert" className="empty feed-error">
          <p className="empty-title">Recent posts could not be loaded right now.</p>
          <p>This is on our side. Please try again in a moment.</p>
        </div>
      )}
    </section>
  );
}

/** The first page, or null (logged) when it cannot be read: the page around it still shows. */
async function readFirstPage(viewerId: string | null): Promise<Page<FeedItemDto> | null> {
  try {
    return await getPublicTimeline({ viewerId, limit: 20 });
  } catch (error) {
    unstable_rethrow(error);
    console.error("reading the public timeline failed", { viewerId, error });
    return null;
  }
}
