import "server-only";
// Reading an upload request (multipart/form-data with a `file` part) under a hard cap.
// These routes are the only ones taking megabytes: JSON routes stop at 16 KB
// (lib/api/route.ts) and server actions at 1 MB (proxy.ts). The cap is the file's limit
// plus MULTIPART_OVERHEAD_BYTES, checked on Content-Length before reading and again on the
// bytes as they arrive (a chunked body has no length; a client can lie about it).
import { readUpTo } from "@/lib/actions/screen-request";
import { AppError, badRequest, invalid } from "@/lib/errors";
import { megabytes, MULTIPART_OVERHEAD_BYTES } from "./limits";

export interface Upload {
  file: Uint8Array;
  /** The other form fields that are text. */
  fields: Record<string, string>;
}

export const fileTooLarge = (maxFileBytes: number) =>
  new AppError("file_too_large", 413, `The file is larger than ${megabytes(maxFileBytes)}: choose a smaller image.`);

export async function readUpload(req: Request, { maxFileBytes }: { maxFileBytes: number }): Promise<Upload> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw badRequest("unsupported_content_type", "Send the image as multipart/form-data, in a part named `file`.");
  }
  const maxBody = maxFileBytes + MULTIPART_OVERHEAD_BYTES;
  if (Number(req.headers.get("content-length") ?? 0) > maxBody) throw fileTooLarge(maxFileBytes);
  const body = await readUpTo(req.body, maxBody);
  if (!body) throw fileTooLarge(maxFileBytes);

  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw badRequest("invalid_multipart", "The upload could not be read as multipart/form-data.");
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) throw invalid({ file: "Choose an image to upload." });
  if (file.size > maxFileBytes) throw fileTooLarge(maxFileBytes);
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") fields[key] = value;
  return { file: new Uint8Array(await file.arrayBuffer()), fields };
}
