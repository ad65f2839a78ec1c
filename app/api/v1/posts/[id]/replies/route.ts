// GET /api/v1/posts/{id}/replies?limit&cursor → {items: Post[], nextCursor}: direct replies, oldest first.
import { z } from "zod";
import { postParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listReplies } from "@/lib/posts/thread";
import { limitSchema } from "@/lib/validation";

const query = z.object({ limit: limitSchema, cursor: z.string().optional() });

export const GET = apiRoute({ auth: "optional", query, params: postParams }, ({ user, params, query }) =>
  listReplies({ postId: params.id, viewerId: user?.id ?? null, cursor: query.cursor, limit: query.limit }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
