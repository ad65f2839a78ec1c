import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { flagSuperstar } from "@/lib/admin/superstars";

// PUT /api/v1/admin/superstars/{username}: flag a superstar (idempotent). There is no
// DELETE: the flag is never cleared.
export const PUT = apiRoute({ auth: "admin", params: userParams }, ({ user, params }) =>
  flagSuperstar({ username: params.username, viewerId: user.id }),
);

export const { GET, HEAD, POST, PATCH, DELETE, OPTIONS } = otherMethods("PUT");
