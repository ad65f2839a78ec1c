import type { Metadata } from "next";
import Link from "next/link";
import { UserList } from "@/components/user-list";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isAppError } from "@/lib/errors";
import { listFollowing } from "@/lib/follows/lists";
import { loadProfile } from "../load-profile";

type Props = {
  params: Promise<{ username: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { username } = await params;
  const viewer = await getCurrentUser();
  const user = await loadProfile(username, viewer?.id ?? null);
  return { title: `People ${user.displayName} follows` };
}

export default async function FollowingPage({ params, searchParams }: Props) {
  const [{ username }, { cursor }, viewer] = await Promise.all([params, searchParams, getCurrentUser()]);
  const user = await loadProfile(username, viewer?.id ?? null);
  const base = `/u/${user.username}/following`;
  let page;
  try {
    page = await listFollowing({
      username: user.username,
      cursor: typeof cursor === "string" ? cursor : undefined,
      limit: 30,
      viewerId: viewer?.id ?? null,
    });
  } catch (error) {
    // An edited or stale ?cursor= is a bad link, not a broken page.
    if (!isAppError(error) || error.code !== "invalid_cursor") throw error;
    page = null;
  }

  return (
    <section className="card" aria-labelledby="list-title">
      <p className="back">
        <Link href={`/u/${user.username}`}>← {user.displayName}</Link>
      </p>
      <h1 id="list-title">{`People ${user.displayName} follows`}</h1>
      {page ? (
        <UserList
          users={page.items}
          viewerId={viewer?.id ?? null}
          nextHref={page.nextCursor ? `${base}?cursor=${encodeURIComponent(page.nextCursor)}` : null}
          emptyText={`@${user.username} doesn’t follow anyone yet.`}
        />
      ) : (
        <p className="form-error">
          That page link is not valid. <Link href={base}>Start from the top</Link>.
        </p>
      )}
    </section>
  );
}
