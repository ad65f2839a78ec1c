import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listSuperstars, superstarListQuerySchema } from "@/lib/admin/superstars";

// GET /api/v1/admin/superstars: the flagged accounts, newest account first.
export const GET = apiRoute({ auth: "admin", query: superstarListQuerySchema }, ({ user, query }) =>
  listSuperstars({ cursor: query.cursor, limit: query.limit, viewerId: user.id }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
