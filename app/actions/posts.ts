"use server";
// Publishing and deleting posts from the browser; the same lib/posts functions serve the API.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createPost } from "@/lib/posts/create-post";
import { deletePost } from "@/lib/posts/delete-post";
import { formFields, userAction, type ActionState } from "@/lib/actions/run-action";

export interface ComposeState extends ActionState {
  postId?: string;
}

// Length, emptiness and the parent's id are lib/posts' rules (with its messages); here only the shape.
// mediaIds: the composer's uploads (POST /api/v1/media from the browser), comma-separated.
const composeSchema = z.object({
  content: z.string({ error: "Write something first." }),
  replyToId: z.string().optional(),
  mediaIds: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").filter(Boolean) : [])),
});

/** A post, or a reply when the form carries `replyToId`. */
export async function createPostAction(_prev: ComposeState, formData: FormData): Promise<ComposeState> {
  return userAction("create-post", composeSchema, formFields(formData), async ({ user, input }) => {
    const post = await createPost({ authorId: user.id, content: input.content, replyToId: input.replyToId, mediaIds: input.mediaIds });
    revalidatePath(`/u/${user.username}`);
    revalidatePath("/");
    if (post.replyTo) revalidatePath(`/p/${post.replyTo.id}`);
    return { ok: true, postId: post.id };
  });
}

const deleteSchema = z.object({
  postId: z.string().min(1),
  // Only a path on this site: the post's own page leaves for the author's profile.
  redirectTo: z
    .string()
    .regex(/^\/(?![/\\])/, "Not a path on this site.")
    .optional(),
});

export async function deletePostAction(input: { postId: string; redirectTo?: string }): Promise<ActionState> {
  return userAction("delete-post", deleteSchema, input, async ({ user, input }) => {
    // lib/posts refuses (403) a post that is not the user's own.
    await deletePost({ postId: input.postId, userId: user.id });
    revalidatePath(`/u/${user.username}`);
    revalidatePath(`/p/${input.postId}`);
    if (input.redirectTo) redirect(input.redirectTo);
    return { ok: true };
  });
}
