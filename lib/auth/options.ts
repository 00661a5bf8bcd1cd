import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { isDomainError } from "@/lib/errors";
import { clientAddress } from "./client-address";
import { revokeSession, SESSION_LIFETIME_HOURS } from "./sessions";
import { authenticate } from "./sign-in";

export const SESSION_MAX_AGE_SECONDS = SESSION_LIFETIME_HOURS * 60 * 60;

/** The public URL decides the cookie's Secure flag (behind a TLS-terminating proxy too: NEXTAUTH_URL is what users type). */
export function publicUrlIsHttps(url = process.env.NEXTAUTH_URL): boolean {
  return Boolean(url?.toLowerCase().startsWith("https://"));
}

/** A token signed in longer ago than the absolute lifetime is refused, however recently it was refreshed. */
export function tokenExpired(signedInAt: unknown, now = Date.now()): boolean {
  return typeof signedInAt !== "number" || now - signedInAt >= SESSION_MAX_AGE_SECONDS * 1000;
}

export const authOptions: NextAuthOptions = {
  secret: process.env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  useSecureCookies: publicUrlIsHttps(),
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
          return user ? { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: user.sessionId } : null;
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
        const signedIn = user as { role?: "admin" | "reseller"; sessionId?: string };
        token.role = signedIn.role;
        token.sid = signedIn.sessionId;
        // `iat` moves each time the token is re-issued; this stays the moment of sign-in.
        token.signedInAt = Date.now();
      }
      // Thrown, next-auth clears the cookie; the server also refuses the session by its row (currentUser).
      if (tokenExpired(token.signedInAt)) throw new Error("SESSION_EXPIRED");
      return token;
    },
    session({ session, token }) {
      if (session.user) Object.assign(session.user, { id: token.sub, role: token.role, signedInAt: token.signedInAt, sessionId: token.sid });
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (!token?.sub) return;
      if (typeof token.sid === "string") await revokeSession(getDb(), token.sid, token.sub);
      await recordAudit(getDb(), { userId: token.sub, label: token.email ?? "user", role: token.role ?? "system" }, { action: "auth.sign_out" });
    },
  },
};
