// GET /api/v1/search/posts?q&limit&cursor → {items: Post[], nextCursor}, newest first.
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { searchPosts } from "@/lib/search/posts";
import { searchQuerySchema } from "@/lib/search/syntax";

export const GET = apiRoute({ auth: "optional", query: searchQuerySchema }, ({ user, query }) =>
  searchPosts({ q: query.q, cursor: query.cursor, limit: query.limit, viewerId: user?.id ?? null }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
