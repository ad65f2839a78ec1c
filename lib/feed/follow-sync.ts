import "server-only";
// Follows, unfollows, mutes, blocks and the showReposts setting, seen from one reader's
// home timeline: after any change in how the reader relates to an account, the posts it
// can touch are put where Postgres now says they belong (reconcile.ts): merged in after a
// follow or an unmute, moved down or out after an unfollow, a mute, a block or
// showReposts off.
//
// A run looks at Postgres *now*, not at what its event said, and touches both the posts
// the timeline holds (what a change may take away) and the account's recent posts and
// reposts and the replies to it (what a change may add). So runs are idempotent and any
// order of them ends in the same place; the Inngest function also runs one at a time per
// reader (a concurrency key). Reads skip entries whose reason is gone (feed-items.ts), so
// a stale entry is never shown even before this has run.
import { getSql } from "@/db";
import { keepsTimelines } from "./model";
import { forgetReaderViews } from "./reader-view";
import { reconcilePlacements } from "./reconcile";
import { listMembers, timelineCap, timelineRef } from "./timeline-store";

export type RelationSyncResult = "reconciled" | "no-timeline";

export async function syncRelation({ userId, targetId }: { userId: string; targetId: string }): Promise<RelationSyncResult> {
  // The writer invalidated the reader's cached view after its commit; this makes sure of
  // it (that bump may have met a Redis error), retried with the run until Redis answers.
  await forgetReaderViews([userId]);
  if (!keepsTimelines()) return "no-timeline";
  const held = await listMembers(timelineRef(userId));
  if (held === null) return "no-timeline"; // rebuilt from Postgres on the next read
  const related = await postsTouchedBy({ userId, targetId, limit: timelineCap() });
  const postIds = [...new Set([...held, ...related])];
  await reconcilePlacements(postIds.map((postId) => ({ userId, postId })));
  return "reconciled";
}

/** The follow events' form of syncRelation. */
export const syncFollow = ({ followerId, followeeId }: { followerId: string; followeeId: string }) =>
  syncRelation({ userId: followerId, targetId: followeeId });

/**
 * The recent posts whose place in the reader's feed depends on `targetId`: the account's
 * posts and reposts, its posts reposted by those the reader follows, and the replies to it
 * by those the reader follows. Newest `limit` of each (older ones are below any timeline).
 */
async function postsTouchedBy({ userId, targetId, limit }: { userId: string; targetId: string; limit: number }): Promise<string[]> {
  const rows = await getSql()<Array<{ id: string }>>`
    (select p.id::text as id from posts p where p.author_id = ${targetId} and p.deleted_at is null
      order by p.created_at desc, p.id desc limit ${limit})
    union
    (select r.post_id::text from reposts r where r.user_id = ${targetId} order by r.created_at desc, r.post_id desc limit ${limit})
    union
    (select r.post_id::text from reposts r join follows f on f.follower_id = ${userId} and f.followee_id = r.user_id
      join posts p on p.id = r.post_id where p.author_id = ${targetId} order by r.created_at desc limit ${limit})
    union
    (select p.id::text from posts p join follows f on f.follower_id = ${userId} and f.followee_id = p.author_id
      where p.reply_to_user_id = ${targetId} and p.deleted_at is null order by p.created_at desc limit ${limit})`;
  return rows.map((r) => r.id);
}
