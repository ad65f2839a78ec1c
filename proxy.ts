// Runs before routing. Next.js answers a path with a malformed percent-escape (e.g.
// /u/%E0%A4%A) in a dynamic segment with its own 500 before any of our code runs; such a
// path is a bad request, so say so here — as JSON for the API, as a short page otherwise.
import { NextResponse, type NextRequest } from "next/server";

export function proxy(request: NextRequest) {
  if (isDecodable(request.nextUrl.pathname)) return NextResponse.next();
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json(
      { error: { code: "invalid_path", message: "The address contains an invalid percent-escape." } },
      { status: 400 },
    );
  }
  return new NextResponse("<!doctype html><title>Bad address</title><p>That address is not valid. <a href=\"/\">Go to Starling</a>.</p>", {
    status: 400,
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

// Only the routes with dynamic segments: everything else never decodes the path, and
// running the proxy costs every request it matches (the feed API is the hot one).
export const config = {
  matcher: ["/u/:path*", "/p/:path*", "/api/v1/users/:path+", "/api/v1/posts/:path+", "/api/v1/admin/superstars/:path+"],
};
