// GET /api/v1/live/{id} → LiveSession (404 once cancelled); DELETE → 204, host only, while upcoming.
import { postParams } from "@/lib/api/params";
import { apiRoute, noContent } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getSession } from "@/lib/live/queries";
import { cancelSession } from "@/lib/live/state";

export const GET = apiRoute({ auth: "optional", params: postParams }, ({ user, params }) => getSession({ sessionId: params.id, viewerId: user?.id ?? null }));

export const DELETE = apiRoute({ auth: "required", params: postParams }, async ({ user, params }) => {
  await cancelSession({ sessionId: params.id, userId: user.id });
  return noContent();
});

export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
