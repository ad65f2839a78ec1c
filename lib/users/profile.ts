import "server-only";
// Reading and editing profiles.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, getReadDb } from "@/db";
import { users } from "@/db/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import { isAppError, notFound } from "@/lib/errors";
import { requireVisibleUser } from "@/lib/relationships/queries";
import { bioSchema, displayNameSchema, parseInput } from "@/lib/validation";
import { toUserDto, toUserDtoFor, userColumns, type UserDto } from "./dto";

export const profileUpdateSchema = z.object({
  displayName: displayNameSchema.optional(),
  bio: bioSchema.optional(),
});

export type MeDto = UserDto & { email: string; isAdmin: boolean };

/**
 * Anyone's profile; `followedByMe` when a viewer is given. 404 for an unknown handle, and
 * the same 404 for a viewer the user blocked: to them, the user does not exist.
 */
export async function getUserByUsername({ username, viewerId }: { username: string; viewerId?: string | null }): Promise<UserDto> {
  // Others' profiles from the read pool. One's own again from the primary, so a bio just
  // saved or a post just written (postsCount) shows; and a 404 is confirmed there, so an
  // account made a moment ago is found. followedByMe comes from the primary.
  const row = await requireVisibleUser({ username, viewerId, db: getReadDb() }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  });
  if (row && row.id !== viewerId) return toUserDtoFor(row, viewerId);
  return toUserDtoFor(await requireVisibleUser({ username, viewerId }), viewerId);
}

/** The logged-in user's own profile plus what only they see. */
export async function getMe(user: CurrentUser): Promise<MeDto> {
  const [row] = await getDb()
    .select({ ...userColumns, email: users.email })
    .from(users)
    .where(eq(users.id, user.id))
    .limit(1);
  // A valid session for an account that no longer exists.
  if (!row) throw notFound("User");
  return { ...toUserDto(row, false), email: row.email, isAdmin: user.isAdmin };
}

export async function updateProfile(input: { userId: string; displayName?: string; bio?: string }): Promise<UserDto> {
  const { displayName, bio } = parseInput(profileUpdateSchema, { displayName: input.displayName, bio: input.bio });
  if (displayName === undefined && bio === undefined) return getProfileById(input.userId);
  const [row] = await getDb()
    .update(users)
    .set({
      ...(displayName === undefined ? {} : { displayName }),
      ...(bio === undefined ? {} : { bio }),
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, input.userId))
    .returning(userColumns);
  if (!row) throw notFound("User");
  return toUserDto(row, false);
}

async function getProfileById(userId: string): Promise<UserDto> {
  const [row] = await getDb().select(userColumns).from(users).where(eq(users.id, userId)).limit(1);
  if (!row) throw notFound("User");
  return toUserDto(row, false);
}
