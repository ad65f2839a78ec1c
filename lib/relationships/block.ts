import "server-only";
// Block and unblock. A block removes the follows both ways (counters and a follow/deleted
// event for each, as an unfollow would) and from then on the blocked user cannot follow
// the blocker, reply to them, or see their profile and posts (404). The block takes the
// pair's locks exactly as a follow does (lib/follows/follow.ts), so a follow racing it
// either lands first and is removed, or waits and sees the block. Unblocking restores
// nothing: removed follows stay removed. Blocking is allowed even against someone who
// blocked you first, so a block can never be used to keep its target from blocking back.
import { and, eq } from "drizzle-orm";
import { blocks } from "@/db/schema";
import { badRequest } from "@/lib/errors";
import { transactWithEvents } from "@/lib/events/outbox";
import { readerViewsChanged } from "@/lib/feed/reader-view";
import { relationChanged } from "@/lib/events/schemas";
import { lockPair, removeFollow } from "@/lib/follows/follow";
import { requireUserByUsername } from "@/lib/users/lookup";

export async function blockUser({ blockerId, username }: { blockerId: string; username: string }): Promise<{ blocking: true }> {
  const target = await requireUserByUsername(username);
  if (target.id === blockerId) throw badRequest("self_block", "You can't block yourself.");
  await transactWithEvents(async (tx, publish) => {
    await lockPair(tx, blockerId, target.id);
    const inserted = await tx.insert(blocks).values({ blockerId, blockedId: target.id }).onConflictDoNothing().returning({ blockedId: blocks.blockedId });
    if (inserted.length === 0) return; // already blocked: nothing changes
    await removeFollow(tx, publish, blockerId, target.id);
    await removeFollow(tx, publish, target.id, blockerId);
    // Both feeds change: each loses the other's posts, and reposts of them.
    publish(relationChanged.create({ userId: blockerId, targetId: target.id, change: "block" }));
    publish(relationChanged.create({ userId: target.id, targetId: blockerId, change: "block" }));
  });
  await readerViewsChanged([blockerId, target.id]);
  return { blocking: true };
}

export async function unblockUser({ blockerId, username }: { blockerId: string; username: string }): Promise<{ blocking: false }> {
  const target = await requireUserByUsername(username);
  if (target.id === blockerId) throw badRequest("self_block", "You can't block yourself.");
  await transactWithEvents(async (tx, publish) => {
    const deleted = await tx
      .delete(blocks)
      .where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, target.id)))
      .returning({ blockedId: blocks.blockedId });
    if (deleted.length === 0) return;
    publish(relationChanged.create({ userId: blockerId, targetId: target.id, change: "unblock" }));
    publish(relationChanged.create({ userId: target.id, targetId: blockerId, change: "unblock" }));
  });
  await readerViewsChanged([blockerId, target.id]);
  return { blocking: false };
}
