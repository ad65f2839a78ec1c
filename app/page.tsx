import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import { ComposeBox } from "@/components/post/compose-box";
import { HomeFeed, HomeFeedError } from "@/components/feed/home-feed";
import { WhoToFollow } from "@/components/people/who-to-follow";
import { PublicTimeline } from "./explore/public-timeline";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import type { Page } from "@/lib/cursor";
import { getHomeFeed } from "@/lib/feed/home-feed";
import type { PostDto } from "@/lib/posts/dto";

export default async function HomePage() {
  const user = await getCurrentUser();
  if (user) {
    const page = await readFeed(user);
    // An empty feed (a new account, straight after registering) shows who to follow in
    // its place (the layout's right column then leaves its own copy out).
    const empty = page !== null && page.items.length === 0 && !page.nextCursor;
    return (
      <>
        <h1 className="visually-hidden">Home</h1>
        <ComposeBox />
        {page ? <HomeFeed page={page} viewer={user} suggestions={empty ? <WhoToFollow viewerId={user.id} limit={10} /> : null} /> : <HomeFeedError />}
      </>
    );
  }
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Starling</h1>
        <p className="lead">
          An open-source social news feed. Follow people, post short updates, and read a home
          timeline that stays fast and correct from two users to celebrity scale.
        </p>
        <ul className="features">
          <li>
            <strong>Short posts.</strong> Up to 280 characters, counted the way you count them.
          </li>
          <li>
            <strong>A home feed that keeps up.</strong> New posts are pushed to the people who
            follow you within seconds; accounts with millions of followers are merged in as you
            read.
          </li>
          <li>
            <strong>Open all the way down.</strong> A JSON API for every action, and the whole
            stack runs on your own machine with one command.
          </li>
        </ul>
        <p className="hero-actions">
          <Link href="/register" className="button">
            Create an account
          </Link>
          <Link href="/login">Log in</Link>
        </p>
      </section>
      <PublicTimeline viewerId={null} title="What people are posting" />
    </>
  );
}

/** The first page of the feed, or null (logged) when it cannot be read: the page still shows. */
async function readFeed(user: CurrentUser): Promise<Page<PostDto> | null> {
  try {
    return await getHomeFeed({ viewerId: user.id, limit: 20 });
  } catch (error) {
    unstable_rethrow(error);
    console.error("reading the home feed failed", { userId: user.id, error });
    return null;
  }
}
