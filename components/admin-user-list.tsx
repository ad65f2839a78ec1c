// Accounts as the admin page lists them: who they are, how many follow them, and whether
// they are a superstar (or a button to make them one).
import Link from "next/link";
import type { UserDto } from "@/lib/users/dto";
import { SuperstarBadge } from "./admin-badge";
import { AdminFlagButton } from "./admin-flag-button";

interface Props {
  users: UserDto[];
  /** Offer "Flag as superstar" for accounts not yet flagged. */
  flaggable?: boolean;
  emptyText: string;
  nextHref?: string | null;
}

export function AdminUserList({ users, flaggable = false, emptyText, nextHref }: Props) {
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
              <p className="user-row-bio">
                {user.followersCount.toLocaleString("en")} {user.followersCount === 1 ? "follower" : "followers"}
              </p>
            </div>
            {user.isSuperstar ? <SuperstarBadge /> : flaggable && <AdminFlagButton key={user.username} username={user.username} />}
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
