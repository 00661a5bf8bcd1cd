import { expect, test } from "@playwright/test";
import { adminCreatesReseller, cents, MoneyFormPage, ResellersListPage } from "./pages/admin-pages";
import { LoginPage } from "./pages/login-page";
import { PortalCustomerPages } from "./pages/reseller-portal-pages";
import { unique } from "./pages/unique";

test.describe("reseller portal", () => {
  test("the prepaid reseller creates a customer, activates (double click, one charge), renews, collects a payment and opens the receipt", async ({ page }) => {
    await new LoginPage(page).signInAs("prepaid");
    const portal = new PortalCustomerPages(page);
    const username = `pp${unique()}`;
    const customerUrl = await portal.create(username);
    const before = await portal.headerBalance();

    await portal.charge(customerUrl, "activate", "Home 25", { doubleClick: true });
    await portal.expectCharged();
    const firstExpiry = (await page.getByTestId("new-expiry").textContent())!;
    await page.goto(customerUrl);
    expect(await portal.headerBalance()).toBe(before - 2000); // Home 25 at the reseller's rate of 20.00, charged once

    await portal.charge(customerUrl, "renew", "Home 25");
    await portal.expectCharged();
    const renewedExpiry = (await page.getByTestId("new-expiry").textContent())!;
    expect(new Date(renewedExpiry).getTime() - new Date(firstExpiry).getTime()).toBe(30 * 86_400_000);
    await page.goto(customerUrl);
    await expect(page.getByTestId("customer-expiry")).toHaveText(renewedExpiry);
    expect(await portal.headerBalance()).toBe(before - 4000);

    await page.getByRole("link", { name: "Collect payment" }).click();
    await new MoneyFormPage(page).fill("25.00", "CASH-SLIP-9");
    await page.getByRole("button", { name: "Record payment" }).click();
    await page.getByRole("link", { name: "Open receipt" }).click();
    await expect(page.getByTestId("receipt-number")).toHaveText(/^R-\d{6}$/);
    await expect(page.getByTestId("receipt-amount")).toHaveText("$25.00");
    await expect(page.getByRole("article", { name: "Receipt" })).toContainText(username);
  });

  test("a prepaid reseller below its rate sees the blocked banner and activation is refused", async ({ page }) => {
    const login = await adminCreatesReseller(page, `Zero Net ${unique()}`);
    await new LoginPage(page).signIn(login);
    await expect(page.getByTestId("blocked-banner")).toHaveText(/Your prepaid balance is 0\.00 — ask your admin to add balance or pay online/);
    const portal = new PortalCustomerPages(page);
    const customerUrl = await portal.create(`zero${unique()}`);
    await portal.charge(customerUrl, "activate", "Home 10");
    await portal.expectRefused(/prepaid balance is too low/);
    await page.goto(customerUrl);
    await expect(page.getByTestId("customer-expiry")).toHaveText("Never activated");
  });

  test("the postpaid reseller activates up to its limit, is refused, and can activate again after the admin records cash", async ({ browser }) => {
    const admin = await browser.newPage();
    const reseller = await browser.newPage();
    await new LoginPage(reseller).signInAs("postpaid");
    const portal = new PortalCustomerPages(reseller);
    const first = await portal.create(`lim${unique()}`);
    const second = await portal.create(`lim${unique()}`);
    const outstanding = await portal.headerOutstanding();

    // The admin sets the limit to exactly one Business 100 (72.00) above today's outstanding.
    await new LoginPage(admin).signInAs("admin");
    const list = new ResellersListPage(admin);
    await list.goto();
    const id = await list.resellerId("CityLink Postpaid");
    await admin.goto(`/admin/resellers/${id}/limit`);
    await admin.getByLabel(/^Collection limit/).fill(((outstanding + 7200) / 100).toFixed(2));
    await admin.getByRole("button", { name: "Save collection limit" }).click();
    await expect(admin.getByTestId("new-limit")).toBeVisible();

    await portal.charge(first, "activate", "Business 100");
    await portal.expectCharged();
    await portal.charge(second, "activate", "Business 100");
    await portal.expectRefused(/collection limit/);
    await reseller.goto("/portal");
    await expect(reseller.getByTestId("blocked-banner")).toContainText("You have reached your collection limit of");

    await admin.goto(`/admin/resellers/${id}/cash-received`);
    const cash = new MoneyFormPage(admin);
    await cash.fill("100.00", "E2E-LIMIT");
    await admin.getByRole("button", { name: "Record cash received" }).click();
    await cash.expectPosted();
    // Outstanding is max(0, -balance): 0 when the cash covers it all (the online-payment spec pays CityLink's off before this runs).
    expect(cents(await cash.outstandingAfter())).toBe(Math.max(0, outstanding + 7200 - 10000));

    await portal.charge(second, "activate", "Business 100");
    await portal.expectCharged();
    await admin.close();
    await reseller.close();
  });

  test("without subscriptions.renew there is no Renew button and the renew page is refused", async ({ browser }) => {
    const admin = await browser.newPage();
    const name = `Renewless ${unique()}`;
    const login = await adminCreatesReseller(admin, name);
    await new LoginPage(admin).signInAs("admin");
    const list = new ResellersListPage(admin);
    await list.goto();
    const id = await list.resellerId(name);
    await admin.goto(`/admin/resellers/${id}/add-balance`);
    await new MoneyFormPage(admin).fill("50.00");
    await admin.getByRole("button", { name: "Add Balance" }).click();
    await expect(admin.getByTestId("form-success")).toBeVisible();

    const resellerSession = await browser.newContext();
    const reseller = await resellerSession.newPage();
    await new LoginPage(reseller).signIn(login);
    await expect(reseller).toHaveURL(/\/portal$/);
    const portal = new PortalCustomerPages(reseller);
    const customerUrl = await portal.create(`rn${unique()}`);
    await portal.charge(customerUrl, "activate", "Home 10");
    await portal.expectCharged();
    await reseller.goto(customerUrl);
    await expect(reseller.getByRole("link", { name: "Renew" })).toBeVisible();
    const expiry = await reseller.getByTestId("customer-expiry").textContent();
    // A renew form opened while the permission was held, submitted after it is gone.
    const staleForm = await resellerSession.newPage();
    await staleForm.goto(`${customerUrl}/renew`);
    await staleForm.getByRole("radio", { name: /^Home 10/ }).check();

    await admin.goto(`/admin/resellers/${id}/scope`);
    await admin.getByLabel("Renew subscriptions").uncheck();
    await admin.getByRole("button", { name: "Save permissions & scope" }).click();
    await expect(admin.getByTestId("form-success")).toBeVisible();

    await reseller.goto(customerUrl);
    await expect(reseller.getByRole("link", { name: "Renew" })).toHaveCount(0);
    const forged = await reseller.goto(`${customerUrl}/renew`);
    expect(forged?.status()).toBe(403);
    await staleForm.getByRole("button", { name: "Confirm renewal" }).click();
    await expect(staleForm.getByTestId("form-error")).toContainText("does not have permission");
    await reseller.goto(customerUrl);
    await expect(reseller.getByTestId("customer-expiry")).toHaveText(expiry!);
    await admin.close();
    await resellerSession.close();
  });

  test("a reseller cannot open another reseller's customer, receipt or exports", async ({ browser }) => {
    const prepaid = await browser.newPage();
    await new LoginPage(prepaid).signInAs("prepaid");
    const portal = new PortalCustomerPages(prepaid);
    const username = `own${unique()}`;
    const customerUrl = await portal.create(username);

    const postpaid = await browser.newPage();
    await new LoginPage(postpaid).signInAs("postpaid");
    const path = new URL(customerUrl).pathname;
    for (const url of [path, `${path}/activate`, `${path}/edit`, `${path}/collect`]) {
      const response = await postpaid.goto(url);
      expect(response?.status(), url).toBe(404);
    }
    const csv = await postpaid.request.get("/portal/customers/export");
    expect(csv.ok()).toBe(true);
    expect(await csv.text()).not.toContain(username);
    await prepaid.close();
    await postpaid.close();
  });
});
