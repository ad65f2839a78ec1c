"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction, type ActionState } from "@/lib/actions/run-action";
import { blockUser, unblockUser } from "@/lib/relationships/block";
import { muteUser, unmuteUser } from "@/lib/relationships/mute";
import { setShowReposts } from "@/lib/relationships/show-reposts";

export interface MuteActionState extends ActionState {
  muting?: boolean;
}

export interface BlockActionState extends ActionState {
  blocking?: boolean;
}

export interface ShowRepostsActionState extends ActionState {
  showReposts?: boolean;
}

const muteSchema = z.object({ username: z.string().min(1), mute: z.boolean() });
const blockSchema = z.object({ username: z.string().min(1), block: z.boolean() });
const showRepostsSchema = z.object({ username: z.string().min(1), showReposts: z.boolean() });

/** Mute or unmute (idempotent). */
export async function setMuteAction(input: { username: string; mute: boolean }): Promise<MuteActionState> {
  return userAction("set-mute", muteSchema, input, async ({ user, input }) => {
    const result = input.mute
      ? await muteUser({ muterId: user.id, username: input.username })
      : await unmuteUser({ muterId: user.id, username: input.username });
    revalidatePath(`/u/${input.username.toLowerCase()}`);
    revalidatePath("/");
    return { ok: true, muting: result.muting };
  });
}

/** Block or unblock (idempotent); a block also removes the follows both ways, so both profiles' counts change. */
export async function setBlockAction(input: { username: string; block: boolean }): Promise<BlockActionState> {
  return userAction("set-block", blockSchema, input, async ({ user, input }) => {
    const result = input.block
      ? await blockUser({ blockerId: user.id, username: input.username })
      : await unblockUser({ blockerId: user.id, username: input.username });
    for (const username of [input.username.toLowerCase(), user.username]) {
      revalidatePath(`/u/${username}`);
      revalidatePath(`/u/${username}/followers`);
      revalidatePath(`/u/${username}/following`);
    }
    revalidatePath("/");
    return { ok: true, blocking: result.blocking };
  });
}

/** Whether a followed account's reposts reach the home feed; refused (not_following) without a follow. */
export async function setShowRepostsAction(input: { username: string; showReposts: boolean }): Promise<ShowRepostsActionState> {
  return userAction("set-show-reposts", showRepostsSchema, input, async ({ user, input }) => {
    const result = await setShowReposts({ followerId: user.id, username: input.username, showReposts: input.showReposts });
    revalidatePath(`/u/${input.username.toLowerCase()}`);
    revalidatePath("/");
    return { ok: true, showReposts: result.showReposts };
  });
}
