// Shared by the relationships tests: the relation/changed events of one pair, and the
// mute, block and follow routes called the way Next calls them.
import { and, eq, sql } from "drizzle-orm";
import { DELETE as unblockRoute, POST as blockRoute } from "@/app/api/v1/users/[username]/block/route";
import { DELETE as unfollowRoute, PATCH as followPatchRoute, POST as followRoute } from "@/app/api/v1/users/[username]/follow/route";
import { DELETE as unmuteRoute, POST as muteRoute } from "@/app/api/v1/users/[username]/mute/route";
import { getDb } from "@/db";
import { blocks, follows, mutes } from "@/db/schema";
import { sentEvents } from "@/tests/support/events";
import { apiRequest, readJson, routeParams } from "../support/fixtures";

export type RelationChange = "mute" | "unmute" | "block" | "unblock" | "show-reposts" | "hide-reposts";

/** The relation/changed events `userId` sent about `targetId`, in arrival order. */
export async function relationEvents(userId: string, targetId: string): Promise<RelationChange[]> {
  return (await sentEvents("relation/changed"))
    .filter((e) => e.data.userId === userId && e.data.targetId === targetId)
    .map((e) => e.data.change as RelationChange);
}

/** The follow events of one pair. */
export async function followEvents(name: "follow/created" | "follow/deleted", followerId: string, followeeId: string) {
  return (await sentEvents(name)).filter((e) => e.data.followerId === followerId && e.data.followeeId === followeeId);
}

export async function muteRows(muterId: string, mutedId: string): Promise<number> {
  const [row] = await getDb().select({ n: sql<number>`count(*)::int` }).from(mutes).where(and(eq(mutes.muterId, muterId), eq(mutes.mutedId, mutedId)));
  return row!.n;
}

export async function blockRows(blockerId: string, blockedId: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(blocks)
    .where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)));
  return row!.n;
}

export async function showRepostsOf(followerId: string, followeeId: string): Promise<boolean | undefined> {
  const [row] = await getDb()
    .select({ showReposts: follows.showReposts })
    .from(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)));
  return row?.showReposts;
}

type Route = (req: ReturnType<typeof apiRequest>, ctx: ReturnType<typeof routeParams>) => Promise<Response>;

function call(route: Route, method: string, suffix: string) {
  return async <T = Record<string, unknown>>(username: string, json?: unknown) =>
    readJson<T>(await route(apiRequest(method, `/api/v1/users/${username}/${suffix}`, json === undefined ? {} : { json }), routeParams({ username })));
}

export const api = {
  mute: call(muteRoute, "POST", "mute"),
  unmute: call(unmuteRoute, "DELETE", "mute"),
  block: call(blockRoute, "POST", "block"),
  unblock: call(unblockRoute, "DELETE", "block"),
  follow: call(followRoute, "POST", "follow"),
  unfollow: call(unfollowRoute, "DELETE", "follow"),
  patchFollow: call(followPatchRoute, "PATCH", "follow"),
};
