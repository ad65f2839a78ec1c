import "server-only";
// Follow and unfollow. Both are idempotent, and each change is one transaction that locks
// the two users rows (in id order, so opposite follows cannot deadlock), changes the
// follows row and both counters together, and writes exactly one event (the outbox) with
// it. Holding the follower's row makes the follow cap race-free, and holding the pair
// orders a follow against a block of the same two users (lib/relationships/block.ts).
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { follows, users } from "@/db/schema";
import { transactWithEvents, type DomainEvent } from "@/lib/events/outbox";
import { readerViewsChanged } from "@/lib/feed/reader-view";
import { followCreated, followDeleted } from "@/lib/events/schemas";
import { badRequest, notFound, refused } from "@/lib/errors";
import { blocksBetween } from "@/lib/relationships/queries";
import { requireUserByUsername } from "@/lib/users/lookup";

export const DEFAULT_FOLLOW_LIMIT = 2000;

/** How many accounts one user may follow (FOLLOW_LIMIT, default 2000): a feed rebuild pulls over them all. */
export function followLimit(): number {
  const raw = process.env.FOLLOW_LIMIT?.trim();
  if (!raw) return DEFAULT_FOLLOW_LIMIT;
  const limit = Number(raw);
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`FOLLOW_LIMIT must be a whole number ≥ 0, not "${raw}"`);
  return limit;
}

export async function followUser({ followerId, username }: { followerId: string; username: string }): Promise<{ following: true }> {
  const followee = await requireUserByUsername(username);
  if (followee.id === followerId) throw badRequest("self_follow", "You can't follow yourself.");
  const limit = followLimit();

  await transactWithEvents(async (tx, publish) => {
    const follower = await lockPair(tx, followerId, followee.id);
    // Read under the pair's locks, so a block committed just before is seen.
    const { actorBlocked, targetBlocked } = await blocksBetween(tx, followerId, followee.id);
    // To someone they blocked, the user does not exist.
    if (targetBlocked) throw notFound("User");
    if (actorBlocked) throw refused("blocked", `You blocked @${followee.username}. Unblock them first to follow them.`);
    const inserted = await tx
      .insert(follows)
      .values({ followerId, followeeId: followee.id })
      .onConflictDoNothing()
      .returning({ createdAt: follows.createdAt });
    if (inserted.length === 0) return; // already following: nothing changes
    // Checked after the insert so an existing follow stays idempotent at the cap; the
    // throw rolls the insert back.
    if (follower.followingCount >= limit) {
      throw refused("follow_limit", `You can follow at most ${limit} accounts. Unfollow someone to follow someone new.`);
    }
    await adjustCounters(tx, followerId, followee.id, 1);
    publish(followCreated.create({ followerId, followeeId: followee.id }));
  });
  // Whom the follower's feed pulls may have changed (a superstar): their next read sees it.
  await readerViewsChanged([followerId]);
  return { following: true };
}

export async function unfollowUser({ followerId, username }: { followerId: string; username: string }): Promise<{ following: false }> {
  const followee = await requireUserByUsername(username);
  if (followee.id === followerId) return { following: false }; // nobody follows themselves

  await transactWithEvents(async (tx, publish) => {
    await lockPair(tx, followerId, followee.id);
    await removeFollow(tx, publish, followerId, followee.id);
  });
  await readerViewsChanged([followerId]);
  return { following: false };
}

/**
 * Deletes the follow if there is one, with both counters and its follow/deleted event.
 * The caller holds the pair's locks (lockPair). Returns whether there was a follow.
 */
export async function removeFollow(tx: Tx, publish: (event: DomainEvent) => void, followerId: string, followeeId: string): Promise<boolean> {
  const deleted = await tx
    .delete(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)))
    .returning({ followeeId: follows.followeeId });
  if (deleted.length === 0) return false;
  await adjustCounters(tx, followerId, followeeId, -1);
  publish(followDeleted.create({ followerId, followeeId }));
  return true;
}

/**
 * Locks both users rows in id order. FOR NO KEY UPDATE, not FOR UPDATE: it must not block
 * other transactions' foreign-key checks (KEY SHARE) when they insert follows or posts.
 */
export async function lockPair(tx: Tx, followerId: string, followeeId: string) {
  const rows = await tx
    .select({ id: users.id, followingCount: users.followingCount })
    .from(users)
    // A deleted account (its row locked by the deletion until it commits) counts as unknown.
    .where(and(inArray(users.id, [followerId, followeeId]), isNull(users.deletedAt)))
    .orderBy(users.id)
    .for("no key update");
  const follower = rows.find((r) => r.id === followerId);
  if (!follower || !rows.some((r) => r.id === followeeId)) throw notFound("User");
  return follower;
}

async function adjustCounters(tx: Tx, followerId: string, followeeId: string, delta: 1 | -1) {
  await tx
    .update(users)
    .set({
      followingCount: sql`${users.followingCount} + case when ${users.id} = ${followerId} then ${delta}::int else 0 end`,
      followersCount: sql`${users.followersCount} + case when ${users.id} = ${followeeId} then ${delta}::int else 0 end`,
    })
    .where(inArray(users.id, [followerId, followeeId]));
}
