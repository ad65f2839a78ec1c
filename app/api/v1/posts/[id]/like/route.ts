// POST / DELETE /api/v1/posts/{id}/like → {likeCount, likedByMe}; both idempotent.
import { postParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { likePost, unlikePost } from "@/lib/reactions/likes";

export const POST = apiRoute({ auth: "required", params: postParams }, ({ user, params }) =>
  likePost({ userId: user.id, postId: params.id }),
);

export const DELETE = apiRoute({ auth: "required", params: postParams }, ({ user, params }) =>
  unlikePost({ userId: user.id, postId: params.id }),
);

export const { GET, HEAD, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
