// POST / DELETE /api/v1/posts/{id}/repost → {repostCount, repostedByMe}; both idempotent.
import { postParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { repostPost, undoRepost } from "@/lib/reactions/reposts";

export const POST = apiRoute({ auth: "required", params: postParams }, ({ user, params }) =>
  repostPost({ userId: user.id, postId: params.id }),
);

export const DELETE = apiRoute({ auth: "required", params: postParams }, ({ user, params }) =>
  undoRepost({ userId: user.id, postId: params.id }),
);

export const { GET, HEAD, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
