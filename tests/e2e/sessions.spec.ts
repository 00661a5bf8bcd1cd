import { expect, test } from "@playwright/test";
import Papa from "papaparse";
import { demo, LoginPage } from "./pages/login-page";

test.describe("sessions", () => {
  test("signing out revokes the session on the server: a copy of the cookie no longer opens a page", async ({ page, browser, baseURL }) => {
    await new LoginPage(page).signInAs("admin");
    const copied = await page.context().cookies();
    const sessionCookie = copied.find((cookie) => cookie.name.endsWith("next-auth.session-token"));
    expect(sessionCookie, "the session cookie").toBeTruthy();
    expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    // Served over plain http here, so not Secure; over https it is (unit-tested through the public URL).
    expect(sessionCookie!.secure).toBe(false);

    // Before sign-out the copy works…
    const thief = await browser.newContext({ baseURL });
    await thief.addCookies(copied);
    const stolen = await thief.newPage();
    await stolen.goto("/admin");
    await expect(stolen).toHaveURL(/\/admin$/);

    // …after it, the same cookie is refused.
    await new LoginPage(page).signOut();
    await stolen.goto("/admin/resellers");
    await expect(stolen).toHaveURL(/\/login/);
    await thief.close();
  });

  test("a forged X-Forwarded-For does not choose the address that sign-in counts and the audit log records", async ({ page, playwright, baseURL }) => {
    const client = await playwright.request.newContext({ baseURL });
    const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const forged = "203.0.113.77";
    const answer = await client.post("/api/auth/callback/credentials", {
      headers: { "X-Forwarded-For": forged },
      form: { ...demo.postpaid, csrfToken, json: "true" },
    });
    expect(answer.ok()).toBe(true);
    // A malformed one does not break anything either.
    const second = await client.post("/api/auth/callback/credentials", {
      headers: { "X-Forwarded-For": "fff" },
      form: { ...demo.prepaid, csrfToken, json: "true" },
    });
    expect(second.ok()).toBe(true);
    await client.dispose();

    await new LoginPage(page).signInAs("admin");
    const csv = await (await page.request.get("/admin/audit/export?action=auth.sign_in")).text();
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    const postpaid = rows.filter((row) => row.actor === demo.postpaid.email);
    const prepaid = rows.filter((row) => row.actor === demo.prepaid.email);
    expect(postpaid.length).toBeGreaterThan(0);
    expect(prepaid.length).toBeGreaterThan(0);
    for (const row of [...postpaid, ...prepaid]) expect(["127.0.0.1", "::1"]).toContain(row.ip_address);
    expect(csv).not.toContain(forged);
  });
});
