import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { logoutAction } from "@/app/(auth)/actions";
import { Avatar } from "@/components/people/avatar";
import { FollowButton } from "@/components/people/follow-button";
import { sessionsSignature } from "@/components/live/group-sessions";
import { HostSessions } from "@/components/live/host-sessions";
import { ScheduleForm } from "@/components/live/schedule-form";
import { BlockButton } from "@/components/people/block-button";
import { MuteButton } from "@/components/people/mute-button";
import { ShowRepostsToggle } from "@/components/people/show-reposts-toggle";
import { PostList } from "@/components/feed/post-list";
import { PostText } from "@/components/post/post-text";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listHostSessions } from "@/lib/live/queries";
import { listUserPosts } from "@/lib/posts/queries";
import { relationshipOf } from "@/lib/relationships/queries";
import { socialMetadata } from "@/lib/social-metadata";
import { loadProfile, safeDecode } from "./load-profile";

type Props = { params: Promise<{ username: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { username } = await params;
  const viewer = await getCurrentUser();
  const user = await loadProfile(username, viewer?.id ?? null);
  const title = `${user.displayName} (@${user.username})`;
  const description = user.bio || `Posts by ${user.displayName} on Starling.`;
  return {
    title,
    description: user.bio || undefined,
    ...socialMetadata({ title, description, path: `/u/${user.username}`, openGraph: { type: "profile", username: user.username } }),
  };
}

export default async function ProfilePage({ params }: Props) {
  const { username } = await params;
  const viewer = await getCurrentUser();
  const user = await loadProfile(username, viewer?.id ?? null);
  // Handles are case-insensitive; the address shows the canonical one.
  if (safeDecode(username) !== user.username) redirect(`/u/${user.username}`);
  const own = viewer?.id === user.id;
  const [page, relation, sessions] = await Promise.all([
    // loadProfile found the user visible to this viewer: the lists need not look again.
    listUserPosts({ username: user.username, limit: 20, viewerId: viewer?.id ?? null, visibleAuthor: user }),
    viewer && !own ? relationshipOf(viewer.id, user.id) : null,
    listHostSessions({ username: user.username, limit: 10, viewerId: viewer?.id ?? null, visibleHost: user }),
  ]);
  const joined = new Date(user.createdAt).toLocaleDateString("en", { month: "long", year: "numeric", timeZone: "UTC" });

  return (
    <>
      <section className="card profile" aria-labelledby="profile-name">
        <div className="profile-head">
          <Avatar user={user} size={88} className="profile-avatar" eager />
          <div className="profile-names">
            <h1 id="profile-name">{user.displayName}</h1>
            <p className="muted handle">@{user.username}</p>
            {relation && (relation.blocking || relation.muting) && (
              <p className="relation-labels">
                {relation.blocking && <span className="badge relation-badge">Blocked</span>}
                {relation.muting && <span className="badge relation-badge">Muted</span>}
              </p>
            )}
          </div>
          <div className="profile-action">
            {own ? (
              <Link href="/settings" className="button secondary">
                Edit profile
              </Link>
            ) : relation?.blocking ? null : relation ? (
              <FollowButton key={`${user.username}:${relation.following}`} username={user.username} following={relation.following} />
            ) : (
              <Link href={`/login?next=/u/${user.username}`} className="button">
                Log in to follow
              </Link>
            )}
          </div>
        </div>
        {user.bio && (
          <p className="bio">
            <PostText content={user.bio} />
          </p>
        )}
        <p className="muted joined">Joined {joined}</p>
        <ul className="stats" aria-label="Counts">
          <li>
            <Link href={`/u/${user.username}/followers`}>
              <strong>{formatCount(user.followersCount)}</strong> {user.followersCount === 1 ? "follower" : "followers"}
            </Link>
          </li>
          <li>
            <Link href={`/u/${user.username}/following`}>
              <strong>{formatCount(user.followingCount)}</strong> following
            </Link>
          </li>
          <li>
            <strong>{formatCount(user.postsCount)}</strong> {user.postsCount === 1 ? "post" : "posts"}
          </li>
        </ul>
        {own && (
          // On a phone the tab bar has no room for Admin and Log out: they are here instead
          // (Settings is "Edit profile").
          <div className="profile-own-links phone-only">
            {viewer.isAdmin && (
              <Link href="/admin" className="button secondary small">
                Admin
              </Link>
            )}
            <form action={logoutAction}>
              <button type="submit" className="button secondary small">
                Log out
              </button>
            </form>
          </div>
        )}
        {relation && (
          <details className="profile-more">
            <summary>More</summary>
            {/* Each control keyed by its state: a re-render after an action starts it afresh. */}
            <div className="profile-more-actions">
              {relation.following && (
                <ShowRepostsToggle key={`reposts:${relation.showReposts}`} username={user.username} showReposts={relation.showReposts} />
              )}
              <MuteButton key={`mute:${relation.muting}`} username={user.username} muting={relation.muting} />
              <BlockButton key={`block:${relation.blocking}`} username={user.username} blocking={relation.blocking} />
            </div>
          </details>
        )}
      </section>

      {(own || sessions.items.length > 0) && (
        <section id="live" aria-labelledby="live-section-title" className="profile-live">
          <h2 id="live-section-title" className="section-title">
            Live
          </h2>
          {own && <ScheduleForm />}
          <HostSessions
            // A start, end or cancel re-renders the page: the list starts afresh with it.
            key={`${sessionsSignature(sessions.items)}:${sessions.nextCursor ?? ""}`}
            username={user.username}
            initialItems={sessions.items}
            initialCursor={sessions.nextCursor}
            own={own}
          />
        </section>
      )}

      <section aria-labelledby="posts-title">
        <h2 id="posts-title" className="section-title">
          Posts
        </h2>
        <PostList
          // A changed first page (a new or deleted post) starts the list afresh.
          key={`${page.items[0]?.id ?? ""}:${page.nextCursor ?? ""}`}
          endpoint={`/api/v1/users/${encodeURIComponent(user.username)}/posts`}
          initialItems={page.items}
          initialCursor={page.nextCursor}
          viewerId={viewer?.id ?? null}
          empty={own ? "You haven’t posted yet. Say hello from the home page." : `@${user.username} hasn’t posted yet.`}
        />
      </section>
    </>
  );
}

function formatCount(n: number): string {
  return n.toLocaleString("en");
}
