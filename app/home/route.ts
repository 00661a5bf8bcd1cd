import { NextResponse } from "next/server";
import { routeHandler } from "@/app/_server/route";
import { currentUser } from "@/app/_server/session";

/** Sends a signed-in user to their own area. */
export const GET = routeHandler(async (request) => {
  const user = await currentUser();
  const target = !user ? "/login" : user.role === "admin" ? "/admin" : "/portal";
  return NextResponse.redirect(new URL(target, request.url));
});
