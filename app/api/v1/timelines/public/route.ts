// GET /api/v1/timelines/public?limit&cursor → {items: FeedItem[], nextCursor}: every live
// top-level post and repost, newest first; anyone may read it.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getPublicTimeline } from "@/lib/timelines/public";
import { limitSchema } from "@/lib/validation";

const query = z.object({ limit: limitSchema, cursor: z.string().optional() });

export const GET = apiRoute({ auth: "optional", query }, ({ user, query }) =>
  getPublicTimeline({ viewerId: user?.id ?? null, cursor: query.cursor, limit: query.limit }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
