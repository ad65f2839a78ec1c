import "server-only";
// Follow and unfollow. Both are idempotent, and each change is one transaction that locks
// the two users rows (in id order, so opposite follows cannot deadlock), changes the
// follows row and both counters together, and is announced by exactly one event after it
// commits. Holding the follower's row makes the follow cap race-free.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { follows, users } from "@/db/schema";
import { inngest } from "@/lib/events/client";
import { followCreated, followDeleted } from "@/lib/events/schemas";
import { badRequest, notFound, refused } from "@/lib/errors";
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

type Tx = Parameters<Parameters<ReturnType<typeof getDb>["transaction"]>[0]>[0];

export async function followUser({ followerId, username }: { followerId: string; username: string }): Promise<{ following: true }> {
  const followee = await requireUserByUsername(username);
  if (followee.id === followerId) throw badRequest("self_follow", "You can't follow yourself.");
  const limit = followLimit();

  const changed = await getDb().transaction(async (tx) => {
    const follower = await lockPair(tx, followerId, followee.id);
    const inserted = await tx
      .insert(follows)
      .values({ followerId, followeeId: followee.id })
      .onConflictDoNothing()
      .returning({ createdAt: follows.createdAt });
    if (inserted.length === 0) return false; // already following: nothing changes
    // Checked after the insert so an existing follow stays idempotent at the cap; the
    // throw rolls the insert back.
    if (follower.followingCount >= limit) {
      throw refused("follow_limit", `You can follow at most ${limit} accounts. Unfollow someone to follow someone new.`);
    }
    await adjustCounters(tx, followerId, followee.id, 1);
    return true;
  });

  if (changed) await announce(followCreated.create({ followerId, followeeId: followee.id }, { id: eventId("follow-created", followerId, followee.id) }));
  return { following: true };
}

export async function unfollowUser({ followerId, username }: { followerId: string; username: string }): Promise<{ following: false }> {
  const followee = await requireUserByUsername(username);
  if (followee.id === followerId) return { following: false }; // nobody follows themselves

  const changed = await getDb().transaction(async (tx) => {
    await lockPair(tx, followerId, followee.id);
    const deleted = await tx
      .delete(follows)
      .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followee.id)))
      .returning({ followeeId: follows.followeeId });
    if (deleted.length === 0) return false; // was not following
    await adjustCounters(tx, followerId, followee.id, -1);
    return true;
  });

  if (changed) await announce(followDeleted.create({ followerId, followeeId: followee.id }, { id: eventId("follow-deleted", followerId, followee.id) }));
  return { following: false };
}

/**
 * Locks both users rows in id order. FOR NO KEY UPDATE, not FOR UPDATE: it must not block
 * other transactions' foreign-key checks (KEY SHARE) when they insert follows or posts.
 */
async function lockPair(tx: Tx, followerId: string, followeeId: string) {
  const rows = await tx
    .select({ id: users.id, followingCount: users.followingCount })
    .from(users)
    .where(inArray(users.id, [followerId, followeeId]))
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

/**
 * Unique per change, fixed per payload: the SDK re-sends the same id when it retries a
 * send (deduplicated), while a later follow of the same pair gets a new one.
 */
function eventId(kind: string, followerId: string, followeeId: string): string {
  return `${kind}-${followerId}-${followeeId}-${randomUUID()}`;
}

/** Sent after the commit, so a consumer never sees an event for a change that rolled back. */
async function announce(event: Parameters<typeof inngest.send>[0]): Promise<void> {
  try {
    await inngest.send(event);
  } catch (error) {
    // The change is committed; saying so keeps the cause clear in the logs.
    throw new Error("The follow change was saved but its event could not be sent.", { cause: error });
  }
}
