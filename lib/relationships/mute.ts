import "server-only";
// Mute and unmute: the muted account's posts and reposts leave the muter's home feed and
// notifications (lib/feed reacts to the event). Private to the muter, so muting never
// needs the other user's row locked; both are idempotent and send one event per change.
import { and, eq } from "drizzle-orm";
import { mutes } from "@/db/schema";
import { badRequest } from "@/lib/errors";
import { transactWithEvents } from "@/lib/events/outbox";
import { readerViewsChanged } from "@/lib/feed/reader-view";
import { relationChanged } from "@/lib/events/schemas";
import { requireUserByUsername } from "@/lib/users/lookup";

export async function muteUser({ muterId, username }: { muterId: string; username: string }): Promise<{ muting: true }> {
  const target = await requireUserByUsername(username);
  if (target.id === muterId) throw badRequest("self_mute", "You can't mute yourself.");
  await transactWithEvents(async (tx, publish) => {
    const inserted = await tx.insert(mutes).values({ muterId, mutedId: target.id }).onConflictDoNothing().returning({ mutedId: mutes.mutedId });
    if (inserted.length > 0) publish(relationChanged.create({ userId: muterId, targetId: target.id, change: "mute" }));
  });
  await readerViewsChanged([muterId]);
  return { muting: true };
}

export async function unmuteUser({ muterId, username }: { muterId: string; username: string }): Promise<{ muting: false }> {
  const target = await requireUserByUsername(username);
  if (target.id === muterId) throw badRequest("self_mute", "You can't mute yourself.");
  await transactWithEvents(async (tx, publish) => {
    const deleted = await tx
      .delete(mutes)
      .where(and(eq(mutes.muterId, muterId), eq(mutes.mutedId, target.id)))
      .returning({ mutedId: mutes.mutedId });
    if (deleted.length > 0) publish(relationChanged.create({ userId: muterId, targetId: target.id, change: "unmute" }));
  });
  await readerViewsChanged([muterId]);
  return { muting: false };
}
