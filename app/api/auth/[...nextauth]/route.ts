import NextAuth from "next-auth";
import { boundedAuthRequests } from "@/app/_server/auth-requests";
import { authOptions } from "@/lib/auth/options";

// Every POST (sign-in, sign-out) is bounded and checked before next-auth reads it.
const handler = boundedAuthRequests(NextAuth(authOptions));
export { handler as GET, handler as POST };
