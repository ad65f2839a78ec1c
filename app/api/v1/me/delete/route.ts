import { apiRoute, noContent } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteAccount, deleteAccountSchema } from "@/lib/users/delete-account";

// POST /api/v1/me/delete {password} → 204: deletes the logged-in account for good (its posts
// leave every feed, every session ends). 403 wrong_password. Beside the contract's routes
// (like /me/sessions/revoke), so /api/v1/me keeps exactly the contract's methods.
export const POST = apiRoute({ auth: "required", body: deleteAccountSchema }, async ({ user, body }) => {
  await deleteAccount({ userId: user.id, ...body });
  return noContent();
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
