import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { isDomainError } from "@/lib/errors";
import { authenticate } from "./sign-in";

/** The client address, from the proxy header when there is one. */
export function clientAddress(headers: Record<string, string | string[] | undefined> | Headers | undefined): string {
  const get = (name: string) => {
    if (!headers) return undefined;
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return get("x-forwarded-for")?.split(",")[0]?.trim() || get("x-real-ip") || "unknown";
}

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: process.env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const user = await authenticate(getDb(), {
            email: credentials?.email ?? "",
            password: credentials?.password ?? "",
            ipAddress: clientAddress(req?.headers),
          });
          return user ? { id: user.id, email: user.email, name: user.name, role: user.role } : null;
        } catch (error) {
          // The message reaches the browser as `error` (and in /api/auth/error?error=…): only a code, never the cause.
          if (isDomainError(error, "RATE_LIMITED")) throw new Error("RATE_LIMITED");
          const correlationId = crypto.randomUUID();
          console.error(`sign-in failed [${correlationId}]`, error);
          throw new Error(`INTERNAL:${correlationId.slice(0, 8)}`);
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.role = (user as { role?: "admin" | "reseller" }).role;
        // `iat` moves each time the token is re-issued; this stays the moment of sign-in.
        token.signedInAt = Date.now();
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) Object.assign(session.user, { id: token.sub, role: token.role, signedInAt: token.signedInAt });
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (!token?.sub) return;
      await recordAudit(getDb(), { userId: token.sub, label: token.email ?? "user", role: token.role ?? "system" }, { action: "auth.sign_out" });
    },
  },
};
