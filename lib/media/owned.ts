import "server-only";
// A deleted account's uploads (lib/users/delete-account.ts): inside its transaction the
// rows are let go, after the commit the objects are deleted.
import { eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { media, users } from "@/db/schema";
import { getStorage } from "@/lib/storage";

/**
 * Lets go of the user's uploads: deletes their media rows and clears the avatar in `tx`, and
 * returns every storage key they occupied (avatar, images, thumbnails), so nothing points at the
 * objects once `deleteOwnedMedia` has removed them.
 */
export async function releaseOwnedMedia(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx.delete(media).where(eq(media.ownerId, userId)).returning({ key: media.key, thumbKey: media.thumbKey });
  const [user] = await tx.select({ avatarKey: users.avatarKey }).from(users).where(eq(users.id, userId));
  await tx.update(users).set({ avatarKey: null }).where(eq(users.id, userId));
  return [...rows.flatMap((r) => [r.key, r.thumbKey]), ...(user?.avatarKey ? [user.avatarKey] : [])];
}

/** Removes the objects (after the transaction that let go of them committed). */
export async function deleteOwnedMedia(keys: readonly string[]): Promise<void> {
  if (keys.length > 0) await getStorage().delete(keys);
}
