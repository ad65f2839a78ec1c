"use server";
// Account security from /settings: changing the password and signing out everywhere, with
// the same lib/auth functions as POST /api/v1/me/password and /api/v1/me/sessions/revoke.
import { z } from "zod";
import { signOut } from "@/lib/auth";
import { changePassword } from "@/lib/auth/change-password";
import { getCurrentUser, requireSession } from "@/lib/auth/current-user";
import { revokeUserSessions } from "@/lib/auth/sessions";
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
