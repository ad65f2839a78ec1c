// GET /api/v1/notifications?limit&cursor → {items: Notification[], nextCursor}, newest first.
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listNotifications } from "@/lib/notifications/queries";
import { limitSchema } from "@/lib/validation";

const query = z.object({ limit: limitSchema, cursor: z.string().optional() });

export const GET = apiRoute({ auth: "required", query }, ({ user, query }) =>
  listNotifications({ userId: user.id, cursor: query.cursor, limit: query.limit }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
