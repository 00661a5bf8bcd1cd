import { expect, test, type Page } from "@playwright/test";
import { adminCreatesReseller, ResellersListPage } from "./pages/admin-pages";
import { openUnderPolicy, policyDirectives, watchCsp } from "./pages/csp";
import { demo, LoginPage } from "./pages/login-page";
import { PayOnlinePages } from "./pages/pay-online-pages";
import { pageRoutesOnDisk, pagesOf, sitePages, urlOf, type RecordKind } from "./pages/site-map";
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

const UUID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

/** The id in the first link on `url` whose href matches `pattern` (one capture group). */
async function firstLinkedId(page: Page, url: string, pattern: RegExp): Promise<string> {
  await page.goto(url);
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  for (const href of hrefs) {
    const id = pattern.exec(href)?.[1];
    if (id) return id;
  }
  throw new Error(`No link like ${pattern} on ${url}`);
}

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

    const resellers = new ResellersListPage(page);
    await resellers.goto();
    const records: Partial<Record<RecordKind, string>> = { reseller: await resellers.resellerId("FastNet Prepaid") };
    records.package = await firstLinkedId(page, "/admin/packages", new RegExp(`^/admin/packages/${UUID}$`));
    records.entry = await firstLinkedId(page, `/admin/resellers/${records.reseller}/statement`, /\/entries\/(\d+)\/reverse$/);
    // The demo has no routers: add one (another create form under the policy).
    await page.goto("/admin/network/routers/new");
    await page.getByLabel("Name", { exact: true }).fill(`Policy router ${unique()}`);
    await page.getByLabel("IP address").fill(`10.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`);
    await page.getByLabel("Shared secret").fill("policy-walk-shared-secret");
    await page.getByRole("button", { name: "Add router" }).click();
    await expect(page.getByTestId("form-success")).toBeVisible();
    records.router = await firstLinkedId(page, "/admin/network/routers", /^\/admin\/network\/routers\/((?!new$)[^/?#]+)$/);

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
    const records: Partial<Record<RecordKind, string>> = {};
    records.customer = await firstLinkedId(page, "/portal/customers", new RegExp(`^/portal/customers/${UUID}$`));
    records.receipt = await firstLinkedId(page, "/portal/collections", new RegExp(`^/portal/receipts/${UUID}$`));

    // A money form: start an online payment, which lands on the (sandbox) checkout.
    const pay = new PayOnlinePages(page);
    await pay.openFromDashboard();
    await pay.startPayment("1.00");
    records.onlinePayment = new RegExp(`/portal/pay-online/${UUID}/sandbox$`).exec(page.url())?.[1];

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
