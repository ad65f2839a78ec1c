"use server";
// Account security from /settings: changing the password, signing out everywhere and
// deleting the account, with the same lib/ functions as POST /api/v1/me/password,
// /api/v1/me/sessions/revoke and /api/v1/me/delete.
import { z } from "zod";
import { signOut } from "@/lib/auth";
import { changePassword } from "@/lib/auth/change-password";
import { getCurrentUser, requireSession } from "@/lib/auth/current-user";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { deleteAccount } from "@/lib/users/delete-account";
import { isAppError } from "@/lib/errors";
import { formFields, userAction, type ActionState } from "@/lib/actions/run-action";

// The password rules are lib/auth's (with its messages); here only the form's shape.
const passwordFormSchema = z.object({
  currentPassword: z.string().default(""),
  newPassword: z.string().default(""),
  confirmPassword: z.string().default(""),
});

/** The form keeps no values: passwords are never sent back to the page. */
export async function changePasswordAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  return userAction("change-password", passwordFormSchema, formFields(formData), async ({ user, input }): Promise<ActionState> => {
    if (input.newPassword !== input.confirmPassword) return { fields: { confirmPassword: "The two new passwords differ." } };
    const { sessionId } = await requireSession();
    try {
      await changePassword({ userId: user.id, sessionId, currentPassword: input.currentPassword, newPassword: input.newPassword });
    } catch (error) {
      if (isAppError(error) && error.code === "wrong_password") return { fields: { currentPassword: error.message } };
      throw error;
    }
    return { ok: true };
  });
}

/** Ends every session of the account, this one too, and lands on the login page. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await getCurrentUser();
  if (user) await revokeUserSessions({ userId: user.id });
  await signOut({ redirectTo: "/login" });
}

const deleteFormSchema = z.object({ password: z.string().default("") });

/** Deletes the account (password confirmed), then ends this session and lands on the home page. */
export async function deleteAccountAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const state = await userAction("delete-account", deleteFormSchema, formFields(formData), async ({ user, input }): Promise<ActionState> => {
    try {
      await deleteAccount({ userId: user.id, password: input.password });
    } catch (error) {
      if (isAppError(error) && error.code === "wrong_password") return { fields: { password: error.message } };
      throw error;
    }
    return { ok: true };
  });
  // The server already ended every session; this clears the cookie. Outside userAction: it redirects.
  if (state.ok) await signOut({ redirectTo: "/" });
  return state;
}
