import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";

describe("safeCallbackPath", () => {
  it("keeps a path on this site with its query and fragment", () => {
    expect(safeCallbackPath("/admin/resellers?page=2#top")).toBe("/admin/resellers?page=2#top");
    expect(safeCallbackPath("/portal")).toBe("/portal");
  });

  it.each([
    "//other.example/x",
    "/\\other.example/x",
    "/\\/other.example",
    "https://other.example/",
    "http:/other.example",
    "javascript:alert(1)",
    "/portal\\..\\..\\x",
    "/\t/other.example",
    "/\n/other.example",
    " //other.example",
    "",
    "admin",
    "/".padEnd(3_000, "a"),
  ])("refuses %j and falls back to /home", (value) => {
    expect(safeCallbackPath(value)).toBe("/home");
  });

  it("refuses what is not a string", () => {
    expect(safeCallbackPath(undefined)).toBe("/home");
    expect(safeCallbackPath(["/admin"])).toBe("/home");
  });
});
