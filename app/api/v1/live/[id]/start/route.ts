// POST /api/v1/live/{id}/start → LiveSession (live); host only; 409 invalid_state unless upcoming.
import { postParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { startSession } from "@/lib/live/state";

export const POST = apiRoute({ auth: "required", params: postParams }, ({ user, params }) => startSession({ sessionId: params.id, userId: user.id }));

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
