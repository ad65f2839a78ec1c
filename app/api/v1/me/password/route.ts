import { apiRoute, noContent } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { requireSession } from "@/lib/auth/current-user";
import { changePassword, changePasswordSchema } from "@/lib/auth/change-password";

// POST /api/v1/me/password {currentPassword, newPassword} → 204; every other session of
// the account is signed out, this one stays. 403 wrong_password, 400 for a weak password.
export const POST = apiRoute({ auth: "required", body: changePasswordSchema }, async ({ body }) => {
  const { user, sessionId } = await requireSession();
  await changePassword({ userId: user.id, sessionId, ...body });
  return noContent();
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
