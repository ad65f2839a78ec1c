"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { userAction, type ActionState } from "@/lib/actions/run-action";

export interface FollowActionState extends ActionState {
  following?: boolean;
}

const followSchema = z.object({ username: z.string().min(1), follow: z.boolean() });

/** Follow or unfollow (idempotent); lib/follows refuses self-follows and the follow limit. */
export async function setFollowAction(input: { username: string; follow: boolean }): Promise<FollowActionState> {
  return userAction("set-follow", followSchema, input, async ({ user, input }) => {
    if (input.follow) await followUser({ followerId: user.id, username: input.username });
    else await unfollowUser({ followerId: user.id, username: input.username });
    const username = input.username.toLowerCase();
    revalidatePath(`/u/${username}`);
    revalidatePath(`/u/${username}/followers`);
    revalidatePath(`/u/${user.username}`);
    revalidatePath(`/u/${user.username}/following`);
    return { ok: true, following: input.follow };
  });
}
