// GET /api/v1/search/users?q&limit&cursor → {items: User[], nextCursor}, best match first.
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { searchQuerySchema } from "@/lib/search/syntax";
import { searchUsers } from "@/lib/search/users";

export const GET = apiRoute({ auth: "optional", query: searchQuerySchema }, ({ user, query }) =>
  searchUsers({ q: query.q, cursor: query.cursor, limit: query.limit, viewerId: user?.id ?? null }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
