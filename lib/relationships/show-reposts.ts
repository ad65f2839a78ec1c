import "server-only";
// The per-follow "show reposts" setting: off, the followee's reposts stay out of the
// follower's home feed (lib/feed reacts to the event). It lives on the follows row, so it
// exists only while following, and a new follow starts with it on.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { follows } from "@/db/schema";
import { badRequest, conflict } from "@/lib/errors";
import { transactWithEvents } from "@/lib/events/outbox";
import { readerViewsChanged } from "@/lib/feed/reader-view";
import { relationChanged } from "@/lib/events/schemas";
import { requireVisibleUser } from "./queries";

export const showRepostsSchema = z.object({ showReposts: z.boolean() });

export async function setShowReposts({
  followerId,
  username,
  showReposts,
}: {
  followerId: string;
  username: string;
  showReposts: boolean;
}): Promise<{ following: true; showReposts: boolean }> {
  const followee = await requireVisibleUser({ username, viewerId: followerId });
  if (followee.id === followerId) throw badRequest("self_follow", "You can't follow yourself.");
  const pair = and(eq(follows.followerId, followerId), eq(follows.followeeId, followee.id));
  await transactWithEvents(async (tx, publish) => {
    // The row lock orders this against an unfollow of the same pair.
    const [row] = await tx.select({ showReposts: follows.showReposts }).from(follows).where(pair).for("update");
    if (!row) throw conflict("not_following", `You don't follow @${followee.username}: follow them first to choose whether to see their reposts.`);
    if (row.showReposts === showReposts) return;
    await tx.update(follows).set({ showReposts }).where(pair);
    publish(relationChanged.create({ userId: followerId, targetId: followee.id, change: showReposts ? "show-reposts" : "hide-reposts" }));
  });
  await readerViewsChanged([followerId]);
  return { following: true, showReposts };
}
