import { apiRoute } from "@/lib/api/route";
import { getUserByUsername } from "@/lib/users/profile";

// GET /api/v1/users/{username}: a profile; `followedByMe` when logged in.
export const GET = apiRoute<{ username: string }, "optional">({ auth: "optional" }, ({ user, params }) =>
  getUserByUsername({ username: params.username, viewerId: user?.id }),
);
