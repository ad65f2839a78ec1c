// Runs before routing, for requests Next.js would otherwise answer with a 500 before any of
// our code runs, or pass to our code in a shape that reaches the database:
// - a path with a malformed percent-escape (e.g. /u/%E0%A4%A) in a dynamic segment, or a
//   control character (NUL reaches Postgres, which refuses it) → 400;
// - a server-action request Next cannot decode, too large, or cross-site (see
//   lib/actions/screen-request.ts) → 400 / 413 / 403.
// API paths get the API's JSON error shape, pages a short page, fetch actions plain text
// (React's client shows that text as the error's message).
import { NextResponse, type NextRequest } from "next/server";
import { screenActionRequest } from "@/lib/actions/screen-request";

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const problem = pathProblem(pathname);
  if (problem) {
    const message = problem === "escape" ? "The address contains an invalid percent-escape." : "The address contains a control character.";
    if (pathname.startsWith("/api/")) return NextResponse.json({ error: { code: "invalid_path", message } }, { status: 400 });
    return page(400, "Bad address", "That address is not valid.");
  }
  const refusal = await screenActionRequest(request);
  if (refusal) {
    if (refusal.fetch) return new NextResponse(refusal.message, { status: refusal.status, headers: { "content-type": "text/plain" } });
    return page(refusal.status, "Not sent", refusal.message);
  }
  return NextResponse.next();
}

function pathProblem(pathname: string): "escape" | "control" | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return "escape";
  }
  return /[\u0000-\u001f\u007f-\u009f]/.test(decoded) ? "control" : null;
}

function page(status: number, title: string, message: string): NextResponse {
  const html = `<!doctype html><title>${title}</title><p>${message} <a href="/">Go to Starling</a>.</p>`;
  return new NextResponse(html, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

// The routes with dynamic segments (everything else never decodes the path into a query),
// and server-action requests to any page: a `Next-Action` header (fetch actions) or a
// multipart POST (forms sent without JavaScript). Each match costs its request the proxy's
// run, so the hot feed routes (/api/v1/feed, /api/v1/feed/new) are never matched. The
// upload routes (/api/v1/media, /api/v1/me/avatar) are deliberately not matched either: a
// proxy would buffer their bodies (up to 10 MB + multipart overhead) under its own limit;
// they cap their bodies themselves (lib/media/read-upload.ts), while server actions keep
// the 1 MB cap above and JSON routes 16 KB (lib/api/route.ts). Next reads this object
// without running the module: literals only.
export const config = {
  matcher: [
    "/u/:path*",
    "/p/:path*",
    "/api/v1/users/:path+",
    "/api/v1/posts/:path+",
    "/api/v1/admin/superstars/:path+",
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "next-action" }] },
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }] },
  ],
};
