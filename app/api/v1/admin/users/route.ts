import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { searchUsers, userSearchQuerySchema } from "@/lib/admin/user-search";

// GET /api/v1/admin/users?q=: accounts whose username or display name contains q. Not
// paginated: the best `limit` matches.
export const GET = apiRoute({ auth: "admin", query: userSearchQuerySchema }, async ({ user, query }) => ({
  items: await searchUsers({ query: query.q, limit: query.limit, viewerId: user.id }),
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
