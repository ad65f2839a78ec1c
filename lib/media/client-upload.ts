// The browser side of uploads (the composer, the avatar form): send a file to the API and
// turn any answer into data or a sentence a person can act on. The limits here are only a
// quick first check; the server enforces them whatever the client does.
import { ACCEPTED_TYPES, megabytes } from "./limits";

export type UploadResult<T> = { ok: true; data: T } | { ok: false; error: string };

/** A reason to refuse the file before sending it, or null. */
export function checkFile(file: File, maxBytes: number): string | null {
  if (!ACCEPTED_TYPES.split(",").includes(file.type)) return `“${file.name}” is not a PNG, JPEG, WebP or GIF image.`;
  if (file.size > maxBytes) return `“${file.name}” is larger than ${megabytes(maxBytes)}.`;
  return null;
}

export async function sendUpload<T>({ url, method, file, fields = {} }: { url: string; method: "POST" | "PUT"; file: File; fields?: Record<string, string> }): Promise<UploadResult<T>> {
  const form = new FormData();
  form.set("file", file);
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return send<T>(url, { method, body: form });
}

export async function send<T>(url: string, init: RequestInit): Promise<UploadResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: "same-origin" });
  } catch {
    return { ok: false, error: "The upload did not reach Starling: check your connection and try again." };
  }
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; fields?: Record<string, string> } } | null;
  if (res.ok) return { ok: true, data: body as T };
  if (res.status === 401) return { ok: false, error: "Your session has ended: log in again." };
  const fieldMessage = body?.error?.fields ? Object.values(body.error.fields)[0] : undefined;
  return { ok: false, error: fieldMessage ?? body?.error?.message ?? `The upload failed (HTTP ${res.status}). Please try again.` };
}
