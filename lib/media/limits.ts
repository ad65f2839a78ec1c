// The numbers every upload path shares: the API routes, the browser forms and the tests.
// No "server-only": the upload forms show the same limits before sending anything.

/** Avatars: PNG, JPEG, WebP or GIF up to 5 MB. */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
/** Post images: up to 10 MB each. */
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
/** A post carries at most this many images. */
export const MAX_MEDIA_PER_POST = 4;
/** Alt text, in characters (code points, as the table's check counts). */
export const ALT_TEXT_MAX_LENGTH = 1000;
/**
 * What a multipart body may add around the file: boundaries, part headers, the alt text
 * (1000 characters of up to 4 bytes each). The request as a whole is capped at the file's
 * limit plus this.
 */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/**
 * Decoding refuses images with more pixels than this (about 8000 × 8000, a 64 MP photo):
 * a small file declaring 30000 × 30000 would otherwise take gigabytes to decode.
 */
export const MAX_INPUT_PIXELS = 64_000_000;
/** The formats accepted, as sharp names them. */
export const ACCEPTED_FORMATS = ["png", "jpeg", "webp", "gif"] as const;
/** For <input type="file" accept=…>. */
export const ACCEPTED_TYPES = "image/png,image/jpeg,image/webp,image/gif";

export const AVATAR_SIZE = 400;
export const FULL_MAX_SIDE = 1600;
export const THUMB_MAX_SIDE = 600;

/** "5 MB": limits in the unit people read. */
export const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
