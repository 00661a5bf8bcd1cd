import type { Metadata } from "next";

export const metadata: Metadata = { title: "Not allowed" };

// The page the proxy rewrites a wrong-role request to (with status 403); pages that refuse call forbidden().
export { default } from "@/app/forbidden";
