import "server-only";
// Turning uploaded bytes into the images the app serves, with sharp. The declared content
// type and file name are ignored: the bytes are decoded and only a real PNG, JPEG, WebP or
// GIF is accepted. Pixel counts are checked from the header before anything is decoded
// (a decompression bomb costs nothing), EXIF orientation is applied and all metadata
// (EXIF, GPS, ICC comments) is dropped: the output is always a fresh WebP. An animated GIF
// or WebP becomes its first frame.
import sharp, { type Metadata, type Sharp, type SharpOptions } from "sharp";
import { AppError } from "@/lib/errors";
import { ACCEPTED_FORMATS, AVATAR_SIZE, FULL_MAX_SIDE, MAX_INPUT_PIXELS, THUMB_MAX_SIDE } from "./limits";

export interface ProcessedImage {
  data: Buffer;
  width: number;
  height: number;
}

const NOT_AN_IMAGE = "The file is not an image Starling can read: upload a PNG, JPEG, WebP or GIF.";

export const invalidImage = (message = NOT_AN_IMAGE) => new AppError("invalid_image", 400, message);

const WEBP = { quality: 82, effort: 4 } as const;

/** Checks the header and returns a sharp pipeline reading the (first frame of the) image. */
async function open(bytes: Uint8Array): Promise<Sharp> {
  if (bytes.byteLength === 0) throw invalidImage("The file is empty.");
  const options: SharpOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error", autoOrient: true };
  let metadata: Metadata;
  try {
    // The header only, no pixels: safe without the pixel limit, which is checked below with a clearer message.
    metadata = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw invalidImage();
  }
  if (!metadata.format || !(ACCEPTED_FORMATS as readonly string[]).includes(metadata.format)) throw invalidImage();
  const { width = 0, height = 0 } = metadata;
  if (width <= 0 || height <= 0) throw invalidImage();
  if (width * height > MAX_INPUT_PIXELS) {
    throw invalidImage(`The image is too large: ${width} × ${height} pixels (at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels).`);
  }
  return sharp(bytes, options);
}

/** Runs the pipeline; a decoding failure (truncated or corrupt data) is the uploader's 400. */
async function render(pipeline: Sharp): Promise<ProcessedImage> {
  try {
    const { data, info } = await pipeline.webp(WEBP).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalidImage();
  }
}

/** An avatar: the centre square, AVATAR_SIZE px a side. */
export async function processAvatar(bytes: Uint8Array): Promise<ProcessedImage> {
  const image = await open(bytes);
  return render(image.resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "centre" }));
}

/** A post image: the full size (within FULL_MAX_SIDE, never enlarged) and a thumbnail. */
export async function processPostImage(bytes: Uint8Array): Promise<{ full: ProcessedImage; thumb: ProcessedImage }> {
  const image = await open(bytes);
  const inside = (side: number) => ({ width: side, height: side, fit: "inside" as const, withoutEnlargement: true });
  const [full, thumb] = await Promise.all([render(image.clone().resize(inside(FULL_MAX_SIDE))), render(image.clone().resize(inside(THUMB_MAX_SIDE)))]);
  return { full, thumb };
}
