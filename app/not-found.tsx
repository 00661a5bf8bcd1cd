import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not found" };

/**
 * Any address that names no page or no record the user may see. Our own page
 * rather than Next.js's built-in one, whose inline <style> the
 * Content-Security-Policy (proxy.ts) would refuse.
 */
export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-slate-500">404</p>
        <h1 className="mt-2 text-2xl font-bold">This page does not exist</h1>
        <p className="mt-2 text-slate-600">The address may be mistyped, or what it pointed to is not yours to see.</p>
        <Link href="/home" className={buttonVariants({ className: "mt-6" })}>
          Go to my dashboard
        </Link>
      </div>
    </main>
  );
}
