import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { blockUser, unblockUser } from "@/lib/relationships/block";

// POST blocks (removing follows both ways), DELETE unblocks → {blocking}; both idempotent.
export const POST = apiRoute({ auth: "required", params: userParams }, ({ user, params }) =>
  blockUser({ blockerId: user.id, username: params.username }),
);

export const DELETE = apiRoute({ auth: "required", params: userParams }, ({ user, params }) =>
  unblockUser({ blockerId: user.id, username: params.username }),
);

export const { GET, HEAD, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
