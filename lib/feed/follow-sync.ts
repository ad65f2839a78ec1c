import "server-only";
// Follow and unfollow, seen from the follower's home timeline: after a follow, the
// followee's recent posts are merged in; after an unfollow, they are taken out.
//
// One function handles both events and reconciles the timeline with what Postgres says
// *now*, not with what the event said: the Inngest function runs one at a time per
// follower (a concurrency key), and each run happens after its change committed, so the
// last run sees the last change, whatever order the events were delivered or retried in.
// A merge re-checks the follow after writing, so an unfollow that slips in between is
// undone here as well as by its own run. Reads also skip unfollowed authors
// (hydratePosts' inFeedOf), so a stale entry is never shown even for that moment.
import { getSql } from "@/db";
import { getRedis } from "@/lib/redis";
import { keepsTimelines, pullsSuperstars } from "./model";
import { listKey, pushToLists, removeFromLists, timelineRef, timelineCap } from "./timeline-store";
import { loadOutbox } from "./truth";

export type FollowSyncResult = "merged" | "removed" | "superstar" | "no-timeline";

async function relationship(followerId: string, followeeId: string) {
  const [row] = await getSql()<Array<{ following: boolean; is_superstar: boolean }>>`
    select exists (select 1 from follows where follower_id = ${followerId} and followee_id = ${followeeId}) as following, u.is_superstar
    from users u where u.id = ${followeeId}`;
  return row ?? { following: false, is_superstar: false };
}

export async function syncFollow({ followerId, followeeId }: { followerId: string; followeeId: string }): Promise<FollowSyncResult> {
  if (!keepsTimelines()) return "no-timeline";
  const ref = timelineRef(followerId);
  const { following, is_superstar: superstar } = await relationship(followerId, followeeId);
  if (following) {
    if (superstar && pullsSuperstars()) return "superstar"; // pulled at read time, nothing to merge
    // The push script keeps the timeline's horizon and parks the posts if a rebuild is
    // running; a missing timeline gets them when it is rebuilt.
    const entries = await loadOutbox({ authorId: followeeId, limit: timelineCap() });
    const existed = await pushToLists([ref], entries);
    if (!(await relationship(followerId, followeeId)).following) {
      await removeFollowee(followerId, followeeId);
      return "removed";
    }
    return existed > 0 ? "merged" : "no-timeline";
  }
  await removeFollowee(followerId, followeeId);
  return "removed";
}

/**
 * Takes the followee's posts out of the follower's timeline: the timeline's members
 * (at most the cap) are checked against Postgres, so exactly the followee's go, however
 * many posts they have written.
 */
async function removeFollowee(followerId: string, followeeId: string): Promise<void> {
  const ref = timelineRef(followerId);
  const members = (await getRedis().zrange(listKey(ref), 0, -1)) as string[];
  const ids = members.filter((m) => /^\d+$/.test(m)).map((m) => BigInt(m).toString());
  if (ids.length === 0) return;
  const rows = await getSql()<Array<{ id: string }>>`
    select id::text as id from posts where author_id = ${followeeId} and id = any(${ids}::int8[])`;
  await removeFromLists([ref], rows.map((r) => r.id));
}
