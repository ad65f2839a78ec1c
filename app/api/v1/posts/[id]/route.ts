// GET /api/v1/posts/{id} → Post (404 once deleted); DELETE → 204, author only.
import { apiRoute, noContent } from "@/lib/api/route";
import { deletePost } from "@/lib/posts/delete-post";
import { getPost } from "@/lib/posts/queries";

export const GET = apiRoute<{ id: string }, "optional">({ auth: "optional" }, ({ user, params }) =>
  getPost({ postId: params.id, viewerId: user?.id ?? null }),
);

export const DELETE = apiRoute<{ id: string }, "required">({ auth: "required" }, async ({ user, params }) => {
  await deletePost({ postId: params.id, userId: user.id });
  return noContent();
});
