// POST /api/v1/live {title, scheduledAt} → 201 LiveSession (upcoming).
import { apiRoute, created } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { scheduleInputSchema, scheduleSession } from "@/lib/live/state";

export const POST = apiRoute({ auth: "required", body: scheduleInputSchema }, async ({ user, body }) =>
  created(await scheduleSession({ hostId: user.id, title: body.title, scheduledAt: body.scheduledAt })),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
