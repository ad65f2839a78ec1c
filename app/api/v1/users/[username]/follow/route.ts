import { apiRoute } from "@/lib/api/route";
import { followUser, unfollowUser } from "@/lib/follows/follow";

// POST follows, DELETE unfollows; both idempotent.
export const POST = apiRoute<{ username: string }, "required">({ auth: "required" }, ({ user, params }) =>
  followUser({ followerId: user.id, username: params.username }),
);

export const DELETE = apiRoute<{ username: string }, "required">({ auth: "required" }, ({ user, params }) =>
  unfollowUser({ followerId: user.id, username: params.username }),
);
