import { describe, expect, it } from "vitest";
import { APP_ROLE, asAppRole } from "@/db/privileges";

describe("asAppRole", () => {
  it("signs in to the same server and database as lastmile_app, keeping the options", () => {
    const url = new URL(asAppRole("postgres://owner:owner-secret@db.example:5433/lastmile?sslmode=require", "app-secret"));
    expect(url.username).toBe(APP_ROLE);
    expect(decodeURIComponent(url.password)).toBe("app-secret");
    expect([url.hostname, url.port, url.pathname, url.search]).toEqual(["db.example", "5433", "/lastmile", "?sslmode=require"]);
  });

  it("carries any password through the URL unchanged", () => {
    for (const password of ["p@ss:w/rd%20?#&=", "ünïcødé 🔑", "'; DROP ROLE x; --"]) {
      expect(decodeURIComponent(new URL(asAppRole("postgres://o:p@127.0.0.1/db", password)).password)).toBe(password);
    }
  });
});
