// GET /api/v1/feed/live?limit&cursor → {items: LiveSession[], nextCursor}: the Live feed
// (live, then upcoming, then replays), paged by snapshot; 410 cursor_expired once it is gone.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getLiveFeed } from "@/lib/live/feed";
import { limitSchema } from "@/lib/validation";

const query = z.object({ limit: limitSchema, cursor: z.string().optional() });

export const GET = apiRoute({ auth: "required", query }, ({ user, query }) => getLiveFeed({ viewerId: user.id, cursor: query.cursor, limit: query.limit }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
