import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { demoLogins } from "@/lib/demo";
import { activeDemoLogins } from "@/lib/demo-status";
import { makeUser } from "../support/factories";
import { db } from "../support/fresh-database";

describe("demo logins warning", () => {
  it("lists the published logins that still work, and stops once each is changed or disabled", async () => {
    expect(await activeDemoLogins(db())).toEqual([]);
    const [admin, prepaid] = demoLogins;
    const adminUser = await makeUser(db(), { role: "admin", email: admin.email, passwordHash: await hashPassword(admin.password) });
    const otherAdmin = await makeUser(db(), { role: "admin", email: prepaid.email.toUpperCase(), passwordHash: await hashPassword(prepaid.password) });
    expect((await activeDemoLogins(db())).sort()).toEqual([admin.email, prepaid.email.toUpperCase()].sort());

    await db().update(users).set({ passwordHash: await hashPassword("a real secret") }).where(eq(users.id, adminUser.id));
    await db().update(users).set({ disabled: true }).where(eq(users.id, otherAdmin.id));
    expect(await activeDemoLogins(db())).toEqual([]);
  });
});
