// GET /api/v1/users/{username}/live?limit&cursor → that host's sessions: live, then upcoming, then ended.
import { z } from "zod";
import { userParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listHostSessions } from "@/lib/live/queries";
import { limitSchema } from "@/lib/validation";

const query = z.object({ limit: limitSchema, cursor: z.string().optional() });

export const GET = apiRoute({ auth: "optional", params: userParams, query }, ({ user, params, query }) =>
  listHostSessions({ username: params.username, cursor: query.cursor, limit: query.limit, viewerId: user?.id ?? null }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
