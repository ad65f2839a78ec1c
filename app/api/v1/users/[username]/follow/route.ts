import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { followUser, unfollowUser } from "@/lib/follows/follow";
import { setShowReposts, showRepostsSchema } from "@/lib/relationships/show-reposts";

// POST follows, DELETE unfollows; both idempotent. PATCH {showReposts} changes the
// follow's setting → {following, showReposts}; 409 not_following without a follow.
export const POST = apiRoute({ auth: "required", params: userParams }, ({ user, params }) =>
  followUser({ followerId: user.id, username: params.username }),
);

export const DELETE = apiRoute({ auth: "required", params: userParams }, ({ user, params }) =>
  unfollowUser({ followerId: user.id, username: params.username }),
);

export const PATCH = apiRoute({ auth: "required", params: userParams, body: showRepostsSchema }, ({ user, params, body }) =>
  setShowReposts({ followerId: user.id, username: params.username, showReposts: body.showReposts }),
);

export const { GET, HEAD, PUT, OPTIONS } = otherMethods("POST", "DELETE", "PATCH");
