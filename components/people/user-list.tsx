// A page of people, each row (face, name, handle) linking to their profile, with a link to
// the next page.
// Plain links, so the list works without JavaScript. What a row shows under the name
// (the bio by default) and at its end (a follow button, a flag button…) is the caller's.
import type { ReactNode } from "react";
import Link from "next/link";
import { Avatar } from "@/components/people/avatar";
import type { UserDto } from "@/lib/users/dto";

interface Props {
  users: UserDto[];
  nextHref?: string | null;
  emptyText: string;
  /** Under the name; the bio by default. */
  detail?: (user: UserDto) => ReactNode;
  /** At the end of the row. */
  action?: (user: UserDto) => ReactNode;
}

const bio = (user: UserDto) => user.bio || null;

export function UserList({ users, nextHref, emptyText, detail = bio, action }: Props) {
  if (users.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <>
      <ul className="user-list">
        {users.map((user) => {
          const text = detail(user);
          return (
            <li key={user.id} className="user-row">
              <Link href={`/u/${user.username}`} className="user-row-avatar" tabIndex={-1} aria-hidden="true">
                <Avatar user={user} size={40} />
              </Link>
              <div className="user-row-text">
                <Link href={`/u/${user.username}`} className="user-row-name">
                  <strong>{user.displayName}</strong> <span className="muted">@{user.username}</span>
                </Link>
                {text && <p className="user-row-bio">{text}</p>}
              </div>
              {action?.(user)}
            </li>
          );
        })}
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
