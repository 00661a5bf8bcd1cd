import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import type { ReactNode } from "react";
import { TimeZoneProvider } from "@/components/ui/date-text";
import { installTimeZone } from "@/lib/config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lastmile", template: "%s · Lastmile" },
  description: "Billing for internet service providers that sell through resellers.",
  // Installable: a static manifest and icons under public/ (no service worker: every command needs the server).
  manifest: "/manifest.webmanifest",
  icons: { icon: [{ url: "/icons/icon.svg", type: "image/svg+xml" }, { url: "/icons/icon-192.png", sizes: "192x192", type: "image/png" }], apple: "/icons/apple-touch-icon.png" },
  appleWebApp: { capable: true, title: "Lastmile", statusBarStyle: "default" },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#2b59c3" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts carry the nonce of that request's
  // Content-Security-Policy (proxy.ts), which a page prerendered at build time could not.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        {/* Lists keep their state in the URL through nuqs (lib/url-state, components/data-table). */}
        <NuqsAdapter>
          <TimeZoneProvider timeZone={installTimeZone()}>{children}</TimeZoneProvider>
        </NuqsAdapter>
      </body>
    </html>
  );
}
