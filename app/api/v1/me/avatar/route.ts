// PUT /api/v1/me/avatar (multipart: file) → User with the new avatarUrl (a 400 square WebP,
// centre-cropped); DELETE → User with avatarUrl null. Up to 5 MB (413 past it).
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { removeAvatar, setAvatar } from "@/lib/media/avatar";
import { AVATAR_MAX_BYTES } from "@/lib/media/limits";
import { readUpload } from "@/lib/media/read-upload";

export const PUT = apiRoute({ auth: "required" }, async ({ req, user }) => {
  const { file } = await readUpload(req, { maxFileBytes: AVATAR_MAX_BYTES });
  return setAvatar({ userId: user.id, bytes: file });
});

export const DELETE = apiRoute({ auth: "required" }, ({ user }) => removeAvatar({ userId: user.id }));

export const { GET, HEAD, POST, PATCH, OPTIONS } = otherMethods("PUT", "DELETE");
