// POST /api/v1/media (multipart: file, altText?) → 201 Media: an image for a post, attached
// later by POST /api/v1/posts {mediaIds}. 400 invalid_image for anything but a decodable
// PNG/JPEG/WebP/GIF, 413 past 10 MB (lib/media/read-upload.ts caps the body).
import { apiRoute, created } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { MEDIA_MAX_BYTES } from "@/lib/media/limits";
import { readUpload } from "@/lib/media/read-upload";
import { uploadMedia } from "@/lib/media/upload";

export const POST = apiRoute({ auth: "required" }, async ({ req, user }) => {
  const { file, fields } = await readUpload(req, { maxFileBytes: MEDIA_MAX_BYTES });
  return created(await uploadMedia({ ownerId: user.id, bytes: file, altText: fields.altText }));
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
