"use server";
// The admin page's one write: flagging a superstar. Search is a plain GET form (/admin?q=).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { flagSuperstar } from "@/lib/admin/superstars";
import { userAction, type ActionState } from "@/lib/actions/run-action";
import { forbidden } from "@/lib/errors";

const flagSchema = z.object({ username: z.string().min(1) });

/** Flags a superstar (idempotent); only admins may. */
export async function flagSuperstarAction(input: { username: string }): Promise<ActionState> {
  return userAction("flag-superstar", flagSchema, input, async ({ user, input }) => {
    if (!user.isAdmin) throw forbidden("Only admins can do that.");
    const flagged = await flagSuperstar({ username: input.username, viewerId: user.id });
    revalidatePath("/admin");
    revalidatePath(`/u/${flagged.username}`);
    return { ok: true };
  });
}
