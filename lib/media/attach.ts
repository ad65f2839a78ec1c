import "server-only";
// Attaching uploads to a new post, inside the post's transaction: each upload once, only
// the author's own. The guarded UPDATE (post_id is null) is the rule: two posts racing for
// the same upload serialise on its row, and the loser finds it taken and rolls back.
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Tx } from "@/db";
import { media } from "@/db/schema";
import { invalid } from "@/lib/errors";

export async function attachMedia(tx: Tx, { postId, authorId, mediaIds }: { postId: string; authorId: string; mediaIds: readonly string[] }): Promise<void> {
  if (mediaIds.length === 0) return;
  const attached = await tx
    .update(media)
    .set({ postId })
    .where(and(inArray(media.id, [...mediaIds]), eq(media.ownerId, authorId), isNull(media.postId)))
    .returning({ id: media.id });
  if (attached.length === mediaIds.length) return;
  const done = new Set(attached.map((m) => m.id));
  const fields: Record<string, string> = {};
  mediaIds.forEach((id, i) => {
    // Someone else's upload and an unknown id read the same: no way to probe others' uploads.
    if (!done.has(id)) fields[`mediaIds.${i}`] = "Not one of your uploads, or already in a post.";
  });
  throw invalid(fields, "Some images can't be attached: upload them again.");
}
