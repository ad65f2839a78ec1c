// A page of people (followers or following) with a follow button for each, and a link to
// the next page. Plain links, so the list works without JavaScript.
import Link from "next/link";
import type { UserDto } from "@/lib/users/dto";
import { FollowButton } from "./follow-button";

interface Props {
  users: UserDto[];
  viewerId: string | null;
  nextHref: string | null;
  emptyText: string;
}

export function UserList({ users, viewerId, nextHref, emptyText }: Props) {
  if (users.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <>
      <ul className="user-list">
        {users.map((user) => (
          <li key={user.id} className="user-row">
            <div className="user-row-text">
              <Link href={`/u/${user.username}`} className="post-author">
                <strong>{user.displayName}</strong> <span className="muted">@{user.username}</span>
              </Link>
              {user.bio && <p className="user-row-bio">{user.bio}</p>}
            </div>
            {viewerId && viewerId !== user.id && (
              <FollowButton key={user.username} username={user.username} following={user.followedByMe ?? false} />
            )}
          </li>
        ))}
      </ul>
      {nextHref && (
        <p className="list-end">
          <Link href={nextHref} className="button secondary">
            Show more
          </Link>
        </p>
      )}
    </>
  );
}
