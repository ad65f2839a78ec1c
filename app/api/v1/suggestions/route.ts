// GET /api/v1/suggestions?limit → {items: User[]}: people to follow, best first (1–50, default 10).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getSuggestions, suggestionsLimitSchema } from "@/lib/people/suggestions";

const query = z.object({ limit: suggestionsLimitSchema });

export const GET = apiRoute({ auth: "required", query }, async ({ user, query }) => ({
  items: await getSuggestions({ viewerId: user.id, limit: query.limit }),
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
