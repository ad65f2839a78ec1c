// GET /api/v1/posts/{id}/context → {ancestors: Post[]}: the reply chain above the post, root first.
import { postParams } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getContext } from "@/lib/posts/thread";

export const GET = apiRoute({ auth: "optional", params: postParams }, ({ user, params }) =>
  getContext({ postId: params.id, viewerId: user?.id ?? null }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
