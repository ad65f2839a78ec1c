// Accounts as the admin page lists them: who they are, how many follow them, and whether
// they are a superstar (or a button to make them one).
import type { UserDto } from "@/lib/users/dto";
import { SuperstarBadge } from "@/components/admin/admin-badge";
import { AdminFlagButton } from "@/components/admin/admin-flag-button";
import { UserList } from "@/components/people/user-list";

interface Props {
  users: UserDto[];
  /** Offer "Flag as superstar" for accounts not yet flagged. */
  flaggable?: boolean;
  emptyText: string;
  nextHref?: string | null;
}

export function AdminUserList({ users, flaggable = false, emptyText, nextHref }: Props) {
  return (
    <UserList
      users={users}
      emptyText={emptyText}
      nextHref={nextHref}
      detail={(user) => `${user.followersCount.toLocaleString("en")} ${user.followersCount === 1 ? "follower" : "followers"}`}
      action={(user) => (user.isSuperstar ? <SuperstarBadge /> : flaggable && <AdminFlagButton key={user.username} username={user.username} />)}
    />
  );
}
