// GET /media/<key>: an uploaded image, from whichever storage back-end holds it. Keys are
// random and never reused, so a public object is cached for a year; an unattached upload
// (only its owner may load it) is cached by that browser alone. Unknown keys, and objects
// the viewer may not see, are a plain 404.
import type { NextRequest } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { openMedia } from "@/lib/media/serve";

const YEAR_SECONDS = 31_536_000;

export async function GET(req: NextRequest, { params }: { params: Promise<{ key: string[] }> }): Promise<Response> {
  const { key } = await params;
  try {
    const object = await openMedia({ key: key.join("/"), viewerId: async () => (await getCurrentUser())?.id ?? null });
    if (!object) return notFound();
    const headers = new Headers({
      "Content-Type": object.contentType,
      "Cache-Control": object.public ? `public, max-age=${YEAR_SECONDS}, immutable` : "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
      // Never rendered as a page of this origin, whatever the bytes claim to be.
      "Content-Security-Policy": "default-src 'none'; sandbox",
    });
    if (object.size !== undefined) headers.set("Content-Length", String(object.size));
    if (!object.public) headers.set("Vary", "Cookie");
    return new Response(req.method === "HEAD" ? null : object.body, { status: 200, headers });
  } catch (error) {
    console.error("serving an upload failed", { path: req.nextUrl.pathname, error });
    return new Response("Could not load this image right now.", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5" } });
  }
}

function notFound(): Response {
  return new Response("Not found.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
