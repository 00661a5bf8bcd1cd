import { hash, parseOptions } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, passwordPolicy, verifyPassword } from "@/lib/auth/password";

describe("password hashing", () => {
  it("hashes with argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1)", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored.startsWith("$argon2id$")).toBe(true);
    expect(parseOptions(stored)).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(stored, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(stored, "wrong")).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("asks to rehash a hash made with weaker parameters, another algorithm or garbage", async () => {
    expect(needsRehash(await hash("pw", { ...passwordPolicy, memoryCost: 4_096, timeCost: 3 }))).toBe(true); // older releases' default
    expect(needsRehash(await hash("pw", { ...passwordPolicy, timeCost: 1 }))).toBe(true);
    expect(needsRehash(await hash("pw", { ...passwordPolicy, algorithm: 1 as typeof passwordPolicy.algorithm }))).toBe(true); // argon2i
    expect(needsRehash("not-a-hash")).toBe(true);
  });
});
