import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "./auth/password";
import { demoLogins } from "./demo";

// A stored hash either matches its published demo password or not, for good: verified once per process.
const checked = new Map<string, boolean>();

/** The published demo logins that still sign in with their published password (a warning for the admin until they are changed or disabled). */
export async function activeDemoLogins(db: Queryable): Promise<string[]> {
  const rows = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(and(inArray(sql`lower(${users.email})`, demoLogins.map((l) => l.email)), eq(users.disabled, false)));
  const active: string[] = [];
  for (const row of rows) {
    const login = demoLogins.find((l) => l.email === row.email.toLowerCase())!;
    const key = `${row.email}\0${row.passwordHash}`;
    if (!checked.has(key)) checked.set(key, await verifyPassword(row.passwordHash, login.password));
    if (checked.get(key)) active.push(row.email);
  }
  return active;
}
