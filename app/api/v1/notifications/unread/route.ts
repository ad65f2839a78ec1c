// GET /api/v1/notifications/unread → {count}: what the navigation's badge shows.
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { countUnread } from "@/lib/notifications/queries";

export const GET = apiRoute({ auth: "required" }, async ({ user }) => ({ count: await countUnread(user.id) }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
