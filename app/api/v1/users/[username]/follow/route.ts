import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { followUser, unfollowUser } from "@/lib/follows/follow";

// POST follows, DELETE unfollows; both idempotent.
export const POST = apiRoute({ auth: "required", params: userParams }, ({ user, params }) =>
  followUser({ followerId: user.id, username: params.username }),
);

export const DELETE = apiRoute({ auth: "required", params: userParams }, ({ user, params }) =>
  unfollowUser({ followerId: user.id, username: params.username }),
);

export const { GET, HEAD, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
