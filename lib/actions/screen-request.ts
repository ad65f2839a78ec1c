// Server-action requests checked before Next.js decodes them. Next 16 answers every action
// body it cannot decode, one over its size limit and one from a foreign Origin with a 500
// (the catch-all at the end of its app-render/action-handler.js; a TODO there says so for
// 413). proxy.ts runs these checks and refuses such requests with a 4xx instead. They only
// refuse what Next itself would fail on: whatever React's own client sends passes untouched.
// No "server-only" here: proxy.ts imports this module.

/** Next's default `serverActions.bodySizeLimit` ("1 MB"); next.config.ts keeps the default. */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;
/** Next refuses (with a 500) calls with more arguments than this. */
const ACTION_ARGS_LIMIT = 1000;

export interface ActionRefusal {
  status: 400 | 403 | 413;
  message: string;
  /** A fetch action (React's client reads a plain-text error); else a form posted without JavaScript. */
  fetch: boolean;
}

/** Why Next would fail on this action request, or null when it is fine (or no action at all). */
export async function screenActionRequest(request: Request): Promise<ActionRefusal | null> {
  if (request.method !== "POST") return null;
  const fetch = request.headers.get("next-action") !== null;
  const type = request.headers.get("content-type") ?? "";
  const multipart = type.startsWith("multipart/form-data");
  // Next treats only these as possible actions; a URL-encoded action is its own 404.
  if ((!fetch && !multipart) || type === "application/x-www-form-urlencoded") return null;
  const refuse = (status: ActionRefusal["status"], message: string): ActionRefusal => ({ status, message, fetch });

  if (!sameOriginAsNext(request.headers)) return refuse(403, "Cross-site form submissions are not allowed.");

  const tooLarge = `The submission is larger than ${ACTION_BODY_LIMIT_BYTES / (1024 * 1024)} MB.`;
  if (Number(request.headers.get("content-length") ?? 0) > ACTION_BODY_LIMIT_BYTES) return refuse(413, tooLarge);
  const body = await readUpTo(request.body, ACTION_BODY_LIMIT_BYTES);
  if (!body) return refuse(413, tooLarge);

  const unreadable = refuse(400, "The submission could not be read.");
  if (!multipart) return isReplyRoot(new TextDecoder().decode(body), new Set(["0"])) ? null : unreadable;
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    return unreadable;
  }
  if (fetch) {
    const root = form.get("0");
    return typeof root === "string" && isReplyRoot(root, new Set(form.keys())) ? null : unreadable;
  }
  // A form posted without JavaScript: Next parses each `$ACTION_<n>:<m>` field as JSON.
  for (const [key, value] of form) {
    if (/^\$ACTION_\d+:\d+$/.test(key) && (typeof value !== "string" || !parsesAsJson(value))) return unreadable;
  }
  return null;
}

/**
 * The same check as Next's CSRF guard: an Origin, when sent, must name the host the request
 * came to (the first X-Forwarded-Host, else Host, as Next reads them).
 */
function sameOriginAsNext(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return true;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return false;
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  return originHost === host;
}

/** The body, or null when it is longer than `limit` bytes (also the upload routes' cap, lib/media/read-upload.ts). */
export async function readUpTo(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * React's encoding of the arguments: a JSON array. A string "$<hex id>" (after a digit) is a
 * reference to another part of the body, which must be there, else React's decoder fails
 * ("Invalid forward reference"). Strings a client sends start "$$" (escaped), never "$1".
 */
function isReplyRoot(text: string, parts: Set<string>): boolean {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return false;
  }
  if (!Array.isArray(root) || root.length > ACTION_ARGS_LIMIT) return false;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      const reference = /^\$(\d[0-9a-f]*)(?::|$)/.exec(value);
      if (reference && !parts.has(parseInt(reference[1]!, 16).toString(16))) return false;
    } else if (value !== null && typeof value === "object") {
      for (const inner of Object.values(value)) pending.push(inner); // no spread: an array may be long
    }
  }
  return true;
}
