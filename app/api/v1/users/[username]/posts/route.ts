// GET /api/v1/users/{username}/posts?limit&cursor → {items: Post[], nextCursor}, newest first.
import { z } from "zod";
import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listUserPosts } from "@/lib/posts/queries";
import { limitSchema } from "@/lib/validation";

const query = z.object({ limit: limitSchema, cursor: z.string().optional() });

export const GET = apiRoute(
  { auth: "optional", query, params: userParams },
  ({ user, params, query }) =>
    listUserPosts({ username: params.username, cursor: query.cursor, limit: query.limit, viewerId: user?.id ?? null }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
