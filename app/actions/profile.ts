"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { updateProfile } from "@/lib/users/profile";
import { formFields, userAction, type ActionState } from "@/lib/actions/run-action";

export interface ProfileState extends ActionState {
  values?: { displayName: string; bio: string };
}

// Lengths and emptiness are lib/users' rules (with its messages); here only the shape.
const profileSchema = z.object({ displayName: z.string().default(""), bio: z.string().default("") });

export async function updateProfileAction(_prev: ProfileState, formData: FormData): Promise<ProfileState> {
  const raw = formFields(formData);
  const submitted = { displayName: raw.displayName ?? "", bio: raw.bio ?? "" };
  const state = await userAction("update-profile", profileSchema, raw, async ({ user, input }) => {
    const updated = await updateProfile({ userId: user.id, displayName: input.displayName, bio: input.bio });
    revalidatePath(`/u/${user.username}`);
    revalidatePath("/settings");
    return { ok: true, values: { displayName: updated.displayName, bio: updated.bio } };
  });
  return "values" in state ? state : { ...state, values: submitted };
}
