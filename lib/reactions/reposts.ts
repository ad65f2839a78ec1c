import "server-only";
// Repost / undo, idempotent (lib/reactions/toggle.ts): the repost row, posts.repost_count
// and the repost event in one transaction. The event carries the repost's time: the
// post's position in the reposter's followers' feeds (lib/feed/fanout.ts).
import { repostCreated, repostDeleted } from "@/lib/events/schemas";
import { addReaction, removeReaction, type ReactionKind } from "./toggle";

export interface RepostState<Reposted extends boolean> {
  repostCount: number;
  repostedByMe: Reposted;
}

const REPOST: ReactionKind = {
  table: "reposts",
  counter: "repost_count",
  rateLimit: "repost",
  created: (data) => repostCreated.create(data),
  deleted: (data) => repostDeleted.create(data),
};

export async function repostPost({ userId, postId }: { userId: string; postId: string }): Promise<RepostState<true>> {
  return { repostCount: await addReaction(REPOST, { userId, postId }), repostedByMe: true };
}

export async function undoRepost({ userId, postId }: { userId: string; postId: string }): Promise<RepostState<false>> {
  return { repostCount: await removeReaction(REPOST, { userId, postId }), repostedByMe: false };
}
