// POST /api/v1/notifications/read {upToId?} → {count}: marks read all unread notifications,
// or those up to and including `upToId`; answers how many unread are left.
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { markNotificationsRead, markReadSchema } from "@/lib/notifications/queries";

export const POST = apiRoute({ auth: "required", body: markReadSchema }, ({ user, body }) =>
  markNotificationsRead({ userId: user.id, upToId: body.upToId }),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
