import { NextResponse } from "next/server";
import { currentUser } from "../_server/session";

/** Sends a signed-in user to their own area. */
export async function GET(request: Request) {
  const user = await currentUser();
  const target = !user ? "/login" : user.role === "admin" ? "/admin" : "/portal";
  return NextResponse.redirect(new URL(target, request.url));
}
