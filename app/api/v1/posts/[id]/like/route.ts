// POST / DELETE /api/v1/posts/{id}/like → {likeCount, likedByMe}; both idempotent.
import { apiRoute } from "@/lib/api/route";
import { likePost, unlikePost } from "@/lib/likes/like-post";

export const POST = apiRoute<{ id: string }, "required">({ auth: "required" }, ({ user, params }) =>
  likePost({ userId: user.id, postId: params.id }),
);

export const DELETE = apiRoute<{ id: string }, "required">({ auth: "required" }, ({ user, params }) =>
  unlikePost({ userId: user.id, postId: params.id }),
);
