import "server-only";
// The public shape of a user (the API's `User`) and how rows become it. `followedByMe` is
// present only when a viewer is logged in, so every caller goes through toUserDtos.
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { follows, users, type User } from "@/db/schema";
import { avatarUrl } from "@/lib/media/dto";

export interface UserDto {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  followersCount: number;
  followingCount: number;
  postsCount: number;
  isSuperstar: boolean;
  /** null: no avatar set; the client draws a fallback. */
  avatarUrl: string | null;
  /** Present only when a viewer is logged in. */
  followedByMe?: boolean;
}

/** The columns a UserDto needs: select these, never the password hash or the email. */
export const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  bio: users.bio,
  createdAt: users.createdAt,
  followersCount: users.followersCount,
  followingCount: users.followingCount,
  postsCount: users.postsCount,
  isSuperstar: users.isSuperstar,
  avatarKey: users.avatarKey,
};

export type UserRow = Pick<User, keyof typeof userColumns>;

export function toUserDto(row: UserRow, followedByMe?: boolean): UserDto {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    bio: row.bio,
    createdAt: row.createdAt.toISOString(),
    followersCount: row.followersCount,
    followingCount: row.followingCount,
    postsCount: row.postsCount,
    isSuperstar: row.isSuperstar,
    avatarUrl: avatarUrl(row.avatarKey),
    ...(followedByMe === undefined ? {} : { followedByMe }),
  };
}

/** Which of `userIds` the viewer follows: one primary-key range read. */
export async function followedByViewer(viewerId: string, userIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(userIds)].filter((id) => id !== viewerId);
  if (ids.length === 0) return new Set();
  const rows = await getDb()
    .select({ id: follows.followeeId })
    .from(follows)
    .where(and(eq(follows.followerId, viewerId), inArray(follows.followeeId, ids)));
  return new Set(rows.map((r) => r.id));
}

/** Rows to DTOs, in order; with a viewer, each says whether the viewer follows that user. */
export async function toUserDtos(rows: readonly UserRow[], viewerId: string | null | undefined): Promise<UserDto[]> {
  if (!viewerId) return rows.map((row) => toUserDto(row));
  const followed = await followedByViewer(
    viewerId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toUserDto(row, followed.has(row.id)));
}

export async function toUserDtoFor(row: UserRow, viewerId: string | null | undefined): Promise<UserDto> {
  const [dto] = await toUserDtos([row], viewerId);
  return dto!;
}
