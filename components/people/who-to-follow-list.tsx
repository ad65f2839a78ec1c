// The "Who to follow" box: suggested accounts with follow buttons. Rendered by the server
// (who-to-follow.tsx, on the empty home feed) and by the browser (who-to-follow-aside.tsx,
// the right column), from the same `User` objects.
import Link from "next/link";
import { FollowButton } from "@/components/people/follow-button";
import { UserList } from "@/components/people/user-list";
import type { UserDto } from "@/lib/users/dto";

export function WhoToFollowList({ users, className }: { users: UserDto[]; className?: string }) {
  if (users.length === 0) return null;
  return (
    <section className={["who-to-follow", className].filter(Boolean).join(" ")} aria-label="Who to follow">
      <h2 className="section-title">Who to follow</h2>
      <UserList
        users={users}
        emptyText=""
        detail={(user) => user.bio || `${user.followersCount.toLocaleString("en-US")} ${user.followersCount === 1 ? "follower" : "followers"}`}
        action={(user) => <FollowButton username={user.username} following={user.followedByMe ?? false} />}
      />
      <p className="who-to-follow-more">
        <Link href="/explore">See what everyone is posting</Link>
      </p>
    </section>
  );
}
