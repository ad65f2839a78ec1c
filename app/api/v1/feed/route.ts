// GET /api/v1/feed?limit&cursor → {items: Post[], nextCursor}: the home feed, newest first.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getHomeFeed } from "@/lib/feed/home-feed";
import { limitSchema } from "@/lib/validation";

const query = z.object({ limit: limitSchema, cursor: z.string().optional() });

export const GET = apiRoute({ auth: "required", query }, ({ user, query }) =>
  getHomeFeed({ viewerId: user.id, cursor: query.cursor, limit: query.limit }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
