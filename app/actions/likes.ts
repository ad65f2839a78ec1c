"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { likePost, unlikePost } from "@/lib/reactions/likes";
import { userAction, type ActionState } from "@/lib/actions/run-action";

export interface LikeActionState extends ActionState {
  likeCount?: number;
  likedByMe?: boolean;
}

const likeSchema = z.object({ postId: z.string().min(1), like: z.boolean() });

/** Like or unlike (idempotent): the count and state after the change. */
export async function setLikeAction(input: { postId: string; like: boolean }): Promise<LikeActionState> {
  return userAction("set-like", likeSchema, input, async ({ user, input }) => {
    const result = input.like
      ? await likePost({ userId: user.id, postId: input.postId })
      : await unlikePost({ userId: user.id, postId: input.postId });
    revalidatePath(`/p/${input.postId}`);
    return { ok: true, likeCount: result.likeCount, likedByMe: result.likedByMe };
  });
}
