import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getUserByUsername } from "@/lib/users/profile";

// GET /api/v1/users/{username}: a profile; `followedByMe` when logged in.
export const GET = apiRoute({ auth: "optional", params: userParams }, ({ user, params }) =>
  getUserByUsername({ username: params.username, viewerId: user?.id }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
