import "server-only";
// Setting and removing a user's avatar (PUT / DELETE /api/v1/me/avatar, Settings). The new
// object is stored before the row points at it, and the old one is deleted only after the
// row no longer does: a reader never meets an avatarUrl whose object is missing.
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { getStorage } from "@/lib/storage";
import { toUserDto, userColumns, type UserDto } from "@/lib/users/dto";
import { avatarKey } from "./keys";
import { processAvatar } from "./process";
import { removeObjects } from "./upload";

export async function setAvatar({ userId, bytes }: { userId: string; bytes: Uint8Array }): Promise<UserDto> {
  await enforceRateLimit("upload", userId);
  const image = await processAvatar(bytes);
  const key = avatarKey(userId);
  await getStorage().put(key, image.data, "image/webp");
  let result: { user: UserDto; old: string | null };
  try {
    result = await replaceAvatarKey(userId, key);
  } catch (error) {
    await removeObjects([key], { userId });
    throw error;
  }
  if (result.old) await removeObjects([result.old], { userId });
  return result.user;
}

export async function removeAvatar({ userId }: { userId: string }): Promise<UserDto> {
  const { user, old } = await replaceAvatarKey(userId, null);
  if (old) await removeObjects([old], { userId });
  return user;
}

/** Points the user at `key`; returns the user and the key it replaced. */
async function replaceAvatarKey(userId: string, key: string | null): Promise<{ user: UserDto; old: string | null }> {
  return getDb().transaction(async (tx) => {
    // The row lock orders two uploads by the same user: each deletes exactly the key it replaced.
    const [current] = await tx.select({ avatarKey: users.avatarKey }).from(users).where(eq(users.id, userId)).for("update");
    if (!current) throw notFound("User");
    const [row] = await tx.update(users).set({ avatarKey: key, updatedAt: new Date() }).where(eq(users.id, userId)).returning(userColumns);
    return { user: toUserDto(row!, false), old: current.avatarKey };
  });
}
