// One page body for both directions of the follow graph: /u/[username]/followers and
// /u/[username]/following differ only in which list they read and how they word it.
import type { Metadata } from "next";
import Link from "next/link";
import { FollowButton } from "@/components/people/follow-button";
import { UserList } from "@/components/people/user-list";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isAppError } from "@/lib/errors";
import { listFollowers, listFollowing } from "@/lib/follows/lists";
import { loadProfile } from "@/app/u/[username]/load-profile";

export type FollowListKind = "followers" | "following";

export interface FollowListPageProps {
  params: Promise<{ username: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const wording = {
  followers: {
    title: (name: string) => `People following ${name}`,
    empty: (username: string) => `No one follows @${username} yet.`,
    list: listFollowers,
  },
  following: {
    title: (name: string) => `People ${name} follows`,
    empty: (username: string) => `@${username} doesn’t follow anyone yet.`,
    list: listFollowing,
  },
} as const;

export async function followListMetadata(kind: FollowListKind, { params }: FollowListPageProps): Promise<Metadata> {
  const { username } = await params;
  const viewer = await getCurrentUser();
  const user = await loadProfile(username, viewer?.id ?? null);
  return { title: wording[kind].title(user.displayName) };
}

export async function FollowListPage({ kind, params, searchParams }: FollowListPageProps & { kind: FollowListKind }) {
  const [{ username }, { cursor }, viewer] = await Promise.all([params, searchParams, getCurrentUser()]);
  const user = await loadProfile(username, viewer?.id ?? null);
  const base = `/u/${user.username}/${kind}`;
  let page;
  try {
    page = await wording[kind].list({
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
      <h1 id="list-title">{wording[kind].title(user.displayName)}</h1>
      {page ? (
        <UserList
          users={page.items}
          action={(u) =>
            viewer && viewer.id !== u.id && <FollowButton key={u.username} username={u.username} following={u.followedByMe ?? false} />
          }
          nextHref={page.nextCursor ? `${base}?cursor=${encodeURIComponent(page.nextCursor)}` : null}
          emptyText={wording[kind].empty(user.username)}
        />
      ) : (
        <p className="form-error">
          That page link is not valid. <Link href={base}>Start from the top</Link>.
        </p>
      )}
    </section>
  );
}
