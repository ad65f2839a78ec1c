import "server-only";
// Uploading a post image (POST /api/v1/media): validate, rate-limit, decode and resize,
// store the full image and its thumbnail, then the row. The upload is its owner's alone
// until a post attaches it (lib/media/attach.ts). Nothing is left behind on a failure: the
// objects are written before the row and deleted again if the row cannot be.
import { z } from "zod";
import { getDb, getSql } from "@/db";
import { media } from "@/db/schema";
import { enforceRateLimit } from "@/lib/rate-limit";
import { getStorage } from "@/lib/storage";
import { parseInput } from "@/lib/validation";
import { toMediaDto, type MediaDto } from "./dto";
import { mediaKeys } from "./keys";
import { ALT_TEXT_MAX_LENGTH } from "./limits";
import { processPostImage } from "./process";

export const altTextSchema = z
  .string()
  .trim()
  .refine((v) => !v.includes("\u0000"), "Alt text can't contain NUL characters.")
  .refine((v) => [...v].length <= ALT_TEXT_MAX_LENGTH, `Alt text can be at most ${ALT_TEXT_MAX_LENGTH} characters.`)
  .default("");

const uploadFieldsSchema = z.object({ altText: altTextSchema });

export async function uploadMedia({ ownerId, bytes, altText }: { ownerId: string; bytes: Uint8Array; altText?: string }): Promise<MediaDto> {
  const fields = parseInput(uploadFieldsSchema, { altText });
  // Before decoding: the allowance protects the CPU that resizing costs.
  await enforceRateLimit("upload", ownerId);
  const image = await processPostImage(bytes);

  const [{ id }] = await getSql()<[{ id: string }]>`select nextval('media_id_seq')::text as id`;
  const { key, thumbKey } = mediaKeys(id);
  const storage = getStorage();
  try {
    await Promise.all([storage.put(key, image.full.data, "image/webp"), storage.put(thumbKey, image.thumb.data, "image/webp")]);
    const [row] = await getDb()
      .insert(media)
      .values({ id, ownerId, key, thumbKey, width: image.full.width, height: image.full.height, altText: fields.altText })
      .returning();
    return toMediaDto(row!);
  } catch (error) {
    await removeObjects([key, thumbKey], { ownerId });
    throw error;
  }
}

/** Deletes objects after a failure; a failure to delete is logged, the original error wins. */
export async function removeObjects(keys: string[], context: Record<string, unknown>): Promise<void> {
  await getStorage()
    .delete(keys)
    .catch((error: unknown) => console.error("deleting uploaded objects failed; they are orphans now", { ...context, keys, error }));
}
