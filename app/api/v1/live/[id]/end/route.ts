// POST /api/v1/live/{id}/end → LiveSession (ended: a replay); host only; 409 invalid_state unless live.
import { postParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { endSession } from "@/lib/live/state";

export const POST = apiRoute({ auth: "required", params: postParams }, ({ user, params }) => endSession({ sessionId: params.id, userId: user.id }));

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
