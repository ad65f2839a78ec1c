import "server-only";
// Changing one's password: the current password proves it is the account's owner (a
// copied cookie alone must not be enough to take the account over), the new one follows
// registration's rules, and every other session of the account is signed out.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { parseInput, passwordSchema } from "@/lib/validation";
import { hashPassword, verifyPassword } from "./password";
import { revokeUserSessions } from "./sessions";

export const changePasswordSchema = z.object({
  currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
  newPassword: passwordSchema,
});

export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

export const wrongPassword = () => new AppError("wrong_password", 403, "Your current password is not correct.");

/** Sets a new password and signs out every session of the account but `sessionId`. */
export async function changePassword({ userId, sessionId, ...input }: ChangePasswordInput & { userId: string; sessionId: string }): Promise<void> {
  const { currentPassword, newPassword } = parseInput(changePasswordSchema, input);
  // Guessing the current password from a stolen session is a login attempt by another door.
  await enforceRateLimit("login", `change-password|${userId}`);
  const [user] = await getDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) throw wrongPassword();
  const passwordHash = await hashPassword(newPassword);
  // One transaction: never a new password with the old sessions still open.
  await getDb().transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await revokeUserSessions({ userId, exceptSessionId: sessionId }, tx);
  });
}
