// "Who to follow": a few suggested accounts with follow buttons (lib/people/suggestions.ts),
// on the empty home feed (a new user's first sight after registering) and beside the feed
// on wide screens. A server component; it renders nothing when there is nobody to suggest
// or the suggestions cannot be read, so it never takes the page down with it.
import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import { FollowButton } from "@/components/people/follow-button";
import { UserList } from "@/components/people/user-list";
import { getSuggestions } from "@/lib/people/suggestions";
import type { UserDto } from "@/lib/users/dto";

interface Props {
  viewerId: string;
  limit?: number;
  className?: string;
}

export async function WhoToFollow({ viewerId, limit = 5, className }: Props) {
  const users = await readSuggestions(viewerId, limit);
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

async function readSuggestions(viewerId: string, limit: number): Promise<UserDto[]> {
  try {
    return await getSuggestions({ viewerId, limit });
  } catch (error) {
    unstable_rethrow(error);
    console.error("reading suggestions failed", { viewerId, error });
    return [];
  }
}
