"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { repostPost, undoRepost } from "@/lib/reactions/reposts";
import { userAction, type ActionState } from "@/lib/actions/run-action";

export interface RepostActionState extends ActionState {
  repostCount?: number;
  repostedByMe?: boolean;
}

const repostSchema = z.object({ postId: z.string().min(1), repost: z.boolean() });

/** Repost or undo (idempotent): the count and state after the change. */
export async function setRepostAction(input: { postId: string; repost: boolean }): Promise<RepostActionState> {
  return userAction("set-repost", repostSchema, input, async ({ user, input }) => {
    const result = input.repost
      ? await repostPost({ userId: user.id, postId: input.postId })
      : await undoRepost({ userId: user.id, postId: input.postId });
    revalidatePath(`/p/${input.postId}`);
    return { ok: true, repostCount: result.repostCount, repostedByMe: result.repostedByMe };
  });
}
