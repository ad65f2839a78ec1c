import { apiRoute, noContent } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { revokeUserSessions } from "@/lib/auth/sessions";

// POST /api/v1/me/sessions/revoke → 204: every session of the account ends, this one too.
export const POST = apiRoute({ auth: "required" }, async ({ user }) => {
  await revokeUserSessions({ userId: user.id });
  return noContent();
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
