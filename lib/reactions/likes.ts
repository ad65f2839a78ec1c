import "server-only";
// Like / unlike, idempotent (lib/reactions/toggle.ts): the like row, posts.like_count and
// the like event in one transaction.
import { likeCreated, likeDeleted } from "@/lib/events/schemas";
import { addReaction, removeReaction, type ReactionKind } from "./toggle";

export interface LikeState<Liked extends boolean> {
  likeCount: number;
  likedByMe: Liked;
}

const LIKE: ReactionKind = {
  table: "likes",
  counter: "like_count",
  rateLimit: "like",
  created: ({ userId, postId }) => likeCreated.create({ userId, postId }),
  deleted: ({ userId, postId }) => likeDeleted.create({ userId, postId }),
};

export async function likePost({ userId, postId }: { userId: string; postId: string }): Promise<LikeState<true>> {
  return { likeCount: await addReaction(LIKE, { userId, postId }), likedByMe: true };
}

export async function unlikePost({ userId, postId }: { userId: string; postId: string }): Promise<LikeState<false>> {
  return { likeCount: await removeReaction(LIKE, { userId, postId }), likedByMe: false };
}
