// POST /api/v1/posts {content, replyToId?, mediaIds?} → 201 Post (a reply with replyToId: 404 if that
// post is deleted or unknown). Fan-out to followers happens after the response.
import { apiRoute, created } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { createPost, postInputSchema } from "@/lib/posts/create-post";

export const POST = apiRoute(
  { auth: "required", body: postInputSchema },
  async ({ user, body }) => created(await createPost({ authorId: user.id, ...body })),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
