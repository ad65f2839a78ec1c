// The logged-in home feed below the compose box: the "new posts" button, then the posts of
// the people the viewer follows and their own, newest first (the first page rendered on
// the server, older ones fetched while scrolling). A server component: only its leaves
// are client ones.
import type { ReactNode } from "react";
import Link from "next/link";
import { encodeCursor, type Page } from "@/lib/cursor";
import { feedPosition } from "@/lib/feed/feed-item";
import { NewPostsButton } from "@/components/feed/new-posts-button";
import type { PostCardItem } from "@/components/post/post-card";
import { PostList } from "@/components/feed/post-list";

interface Props {
  /** Feed items: a reposted post carries its `reason`, shown above it. */
  page: Page<PostCardItem>;
  viewer: { id: string; username: string };
  /** Shown under the empty feed's message (who to follow). */
  suggestions?: ReactNode;
}

/** Where "new posts" counts from when the feed is still empty: everything is new. */
const BEGINNING = encodeCursor({ t: 0, id: "0" });

export function HomeFeed({ page, viewer, suggestions }: Props) {
  const newest = page.items[0];
  // A reposted item sits at its repost's time, not its publication's.
  const since = newest ? encodeCursor(feedPosition({ ...newest, reason: newest.reason ?? null })) : BEGINNING;
  return (
    <section className="home-feed" aria-labelledby="feed-title">
      <h2 id="feed-title" className="section-title">
        Your feed
      </h2>
      <NewPostsButton key={since} since={since} />
      <PostList
        // A changed first page (a new post, "new posts" clicked) starts the list afresh.
        key={`${newest?.id ?? ""}:${page.nextCursor ?? ""}`}
        endpoint="/api/v1/feed"
        initialItems={page.items}
        initialCursor={page.nextCursor}
        viewerId={viewer.id}
        empty={<EmptyFeed username={viewer.username} suggestions={suggestions} />}
      />
    </section>
  );
}

function EmptyFeed({ username, suggestions }: { username: string; suggestions?: ReactNode }) {
  return (
    <>
      <p className="empty-title">Your feed is empty. Follow people to see their posts here.</p>
      <p>
        Open someone’s profile and press Follow; your own posts show up here too. Others can follow you from{" "}
        <Link href={`/u/${username}`}>your profile</Link>.
      </p>
      {suggestions}
    </>
  );
}

/** Instead of the feed when it cannot be read: the compose box above still works. */
export function HomeFeedError() {
  return (
    <section className="home-feed" aria-labelledby="feed-title">
      <h2 id="feed-title" className="section-title">
        Your feed
      </h2>
      <div role="alert" className="empty feed-error">
        <p className="empty-title">Your feed could not be loaded right now.</p>
        <p>
          This is on our side. Please <Link href="/">try again</Link> in a moment.
        </p>
      </div>
    </section>
  );
}
