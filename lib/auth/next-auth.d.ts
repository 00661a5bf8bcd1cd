import "next-auth";
import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    role?: "admin" | "reseller";
    /** Milliseconds since the epoch when this session signed in (sessions revoked after it end). */
    signedInAt?: number;
    /** The user_sessions row of this sign-in: revoked at sign-out, refused after its absolute lifetime. */
    sid?: string;
  }
}
