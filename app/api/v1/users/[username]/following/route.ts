import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listFollowing, listQuerySchema } from "@/lib/follows/lists";

// GET /api/v1/users/{username}/following: whom they follow, newest follow first.
export const GET = apiRoute(
  { auth: "optional", query: listQuerySchema, params: userParams },
  async ({ user, query, params }) =>
    listFollowing({ username: params.username, cursor: query.cursor, limit: query.limit, viewerId: user?.id }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
