import { expect, test } from "@playwright/test";
import { adminCreatesReseller } from "./pages/admin-pages";
import { openUnderPolicy, policyDirectives, watchCsp } from "./pages/csp";
import { demo, LoginPage } from "./pages/login-page";
import { PayOnlinePages } from "./pages/pay-online-pages";
import { pageRoutesOnDisk, pagesOf, sitePages, urlOf } from "./pages/site-map";
import { addRouter, adminRecords, resellerRecords } from "./pages/site-records";
import { unique } from "./pages/unique";

test.describe("security in the browser", () => {
  test("sign-in never follows a callbackUrl to another site", async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    for (const callback of ["//other.example/x", "/\\other.example/x", "https://other.example/", "/admin/audit"]) {
      await page.goto(`/login?callbackUrl=${encodeURIComponent(callback)}`);
      await page.getByLabel("Email").fill(demo.admin.email);
      await page.getByLabel("Password").fill(demo.admin.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(callback === "/admin/audit" ? `${origin}/admin/audit` : `${origin}/admin`);
      await new LoginPage(page).signOut();
    }
  });
});

test("the admin console warns while the published demo logins work", async ({ page }) => {
  await new LoginPage(page).signInAs("admin");
  await expect(page.getByTestId("demo-logins-banner")).toContainText("admin@example.com");
});

const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

// Every page of the site map (tests/e2e/pages/site-map.ts, checked against app/**/page.tsx) is
// opened under its Content-Security-Policy: the header is there with a fresh nonce, Next.js's
// scripts carry it and start, and the browser reports no violation, through sign-in and forms too.
test.describe("Content-Security-Policy", () => {
  // A walk opens dozens of pages, each until it is idle.
  test.describe.configure({ timeout: 300_000 });

  test("the site map names every page file of the app", () => {
    expect(Object.keys(sitePages).sort()).toEqual(pageRoutesOnDisk());
  });

  test("signed out: the public pages and the error pages render under the policy, with a new nonce each time", async ({ page }) => {
    const problems = await watchCsp(page);
    const first = await openUnderPolicy(page, "/login");
    expect(await openUnderPolicy(page, "/login")).not.toBe(first);
    for (const route of pagesOf("public")) await openUnderPolicy(page, route);
    await openUnderPolicy(page, "/no-such-page", 404);
    expect(problems).toEqual([]);

    // The proxy's own answers carry the headers too: the sign-in redirect of a guarded page.
    const redirect = await page.request.get("/admin/audit?x=1", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expect(new URL(redirect.headers().location!, "http://x").pathname).toBe("/login");
    expect(policyDirectives(redirect.headers()["content-security-policy"]!)["frame-ancestors"]).toEqual(["'none'"]);
  });

  test("API answers carry a policy that loads nothing, and the Stripe webhook still answers", async ({ request }) => {
    const webhook = await request.post("/api/payments/stripe/webhook", { data: "{}", headers: { "content-type": "application/json" } });
    expect(webhook.status()).toBe(400); // unsigned: refused by the webhook itself, not by any header rule
    const policy = policyDirectives(webhook.headers()["content-security-policy"]!);
    expect(policy["default-src"]).toEqual(["'none'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(webhook.headers()["x-content-type-options"]).toBe("nosniff");
  });

  test("admin: sign-in, every admin page, a create form, a filter and the error pages work under the policy", async ({ page }) => {
    const problems = await watchCsp(page);
    // Sign-in, a create form and sign-out, all under the policy.
    await adminCreatesReseller(page, `Policy Net ${unique()}`);
    await new LoginPage(page).signInAs("admin");

    // Another create form under the policy: a router (the walk then opens its page).
    await addRouter(page);
    const records = await adminRecords(page);

    const pages = pagesOf("admin");
    expect(pages.length).toBeGreaterThan(15);
    for (const route of pages) await openUnderPolicy(page, urlOf(route, records));
    await openUnderPolicy(page, `/admin/resellers/${NO_SUCH_ID}`, 404);
    await openUnderPolicy(page, "/portal", 403);

    // A filter: the list's toolbar writes the URL and the server answers it.
    await openUnderPolicy(page, "/admin/customers");
    await page.getByLabel("Status", { exact: true }).selectOption("active");
    await expect(page).toHaveURL(/[?&]status=active(&|$)/);
    await page.getByLabel("Search").fill("zz-no-such-customer");
    await expect(page).toHaveURL(/[?&]q=zz-no-such-customer(&|$)/);
    await expect(page.getByRole("table", { name: "Customers" })).toContainText("No customers match.");

    expect(problems).toEqual([]);
  });

  test("reseller: every portal page, an online payment's checkout and its action form, and the error pages work under the policy", async ({ page }) => {
    const problems = await watchCsp(page);
    await new LoginPage(page).signInAs("prepaid");
    // A money form: starting an online payment lands on the (sandbox) checkout.
    const records = await resellerRecords(page);
    const pay = new PayOnlinePages(page);

    const pages = pagesOf("reseller");
    expect(pages.length).toBeGreaterThan(10);
    for (const route of pages) await openUnderPolicy(page, urlOf(route, records));

    // An action form on the checkout: cancel, back on the payment's return page.
    await openUnderPolicy(page, urlOf("/portal/pay-online/[id]/sandbox", records));
    await pay.choose("Cancel this payment");
    await pay.expectStatus("Canceled");

    await openUnderPolicy(page, `/portal/customers/${NO_SUCH_ID}`, 404);
    await openUnderPolicy(page, "/admin", 403);
    expect(problems).toEqual([]);
  });
});
