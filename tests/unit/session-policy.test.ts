import { describe, expect, it } from "vitest";
import { authOptions, publicUrlIsHttps, SESSION_MAX_AGE_SECONDS, tokenExpired } from "@/lib/auth/options";

const hour = 60 * 60 * 1000;

describe("session policy", () => {
  it("ends a session 12 hours after sign-in however recently it was refreshed", () => {
    const now = Date.now();
    expect(SESSION_MAX_AGE_SECONDS).toBe(12 * 60 * 60);
    expect(tokenExpired(now - 11.9 * hour, now)).toBe(false);
    expect(tokenExpired(now - 12 * hour, now)).toBe(true);
    // A token without a sign-in time (forged or from an older version) is treated as expired.
    expect(tokenExpired(undefined, now)).toBe(true);
    expect(tokenExpired("0", now)).toBe(true);
  });

  it("the token callback refuses an old token, so next-auth clears the cookie", async () => {
    const jwt = authOptions.callbacks!.jwt!;
    const old = { sub: "u", signedInAt: Date.now() - 13 * hour, sid: "s" };
    await expect(Promise.resolve().then(() => jwt({ token: old } as never))).rejects.toThrow("SESSION_EXPIRED");
    const fresh = { sub: "u", signedInAt: Date.now() - hour, sid: "s" };
    expect(await jwt({ token: fresh } as never)).toMatchObject({ sid: "s" });
  });

  it("marks the cookie Secure whenever the public URL is https", () => {
    expect(publicUrlIsHttps("https://billing.example.net")).toBe(true);
    expect(publicUrlIsHttps("HTTPS://billing.example.net")).toBe(true);
    expect(publicUrlIsHttps("http://localhost:3000")).toBe(false);
    expect(publicUrlIsHttps(undefined)).toBe(false);
  });
});
