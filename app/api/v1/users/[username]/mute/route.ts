import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { muteUser, unmuteUser } from "@/lib/relationships/mute";

// POST mutes, DELETE unmutes → {muting}; both idempotent.
export const POST = apiRoute({ auth: "required", params: userParams }, ({ user, params }) =>
  muteUser({ muterId: user.id, username: params.username }),
);

export const DELETE = apiRoute({ auth: "required", params: userParams }, ({ user, params }) =>
  unmuteUser({ muterId: user.id, username: params.username }),
);

export const { GET, HEAD, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
