// GET /api/v1/posts/{id} → Post (404 once deleted); DELETE → 204, author only.
import { postParams } from "@/lib/api/params";
import { apiRoute, noContent } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deletePost } from "@/lib/posts/delete-post";
import { getPost } from "@/lib/posts/queries";

export const GET = apiRoute({ auth: "optional", params: postParams }, ({ user, params }) =>
  getPost({ postId: params.id, viewerId: user?.id ?? null }),
);

export const DELETE = apiRoute({ auth: "required", params: postParams }, async ({ user, params }) => {
  await deletePost({ postId: params.id, userId: user.id });
  return noContent();
});

export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
