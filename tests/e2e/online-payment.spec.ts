import { expect, test } from "@playwright/test";
import { adminCreatesReseller, cents, ResellersListPage } from "./pages/admin-pages";
import { LoginPage } from "./pages/login-page";
import { PayOnlinePages } from "./pages/pay-online-pages";
import { PortalCustomerPages } from "./pages/reseller-portal-pages";
import { unique } from "./pages/unique";

test.describe("online payment through the sandbox gateway", () => {
  test("the postpaid demo reseller pays its outstanding; header, dashboard, Accounts Receivable and both lists agree", async ({ browser }) => {
    const admin = await browser.newPage();
    await new LoginPage(admin).signInAs("admin");
    const resellers = new ResellersListPage(admin);
    await resellers.goto();
    const resellerId = await resellers.resellerId("CityLink Postpaid");
    await admin.goto("/admin/accounts/receivable");
    const totalBefore = cents((await admin.getByTestId("receivables-total").textContent())!);

    const page = await browser.newPage();
    await new LoginPage(page).signInAs("postpaid");
    const portal = new PortalCustomerPages(page);
    const outstanding = await portal.headerOutstanding();
    expect(outstanding).toBeGreaterThan(0);
    const pay = new PayOnlinePages(page);
    await pay.openFromDashboard();
    // Prefilled with the outstanding.
    expect(cents(await pay.amountField().inputValue())).toBe(outstanding);
    await pay.startPayment();
    await pay.choose("Pay");
    await pay.expectStatus("Paid");
    expect(await portal.headerOutstanding()).toBe(0);
    await page.goto("/portal");
    await expect(page.getByTestId("dashboard-outstanding")).toContainText("$0.00 of");
    await page.goto("/portal/pay-online");
    await expect(page.getByRole("table", { name: "Online payments" }).getByTestId("online-payment-status").first()).toHaveText("Paid");

    await admin.goto("/admin/accounts/receivable");
    await expect(admin.getByTestId(`receivable-${resellerId}`)).toHaveCount(0);
    // With nothing owed any more the total row is gone: the total is then zero.
    const totalRow = admin.getByTestId("receivables-total");
    const totalAfter = (await totalRow.count()) ? cents((await totalRow.textContent())!) : 0;
    expect(totalAfter).toBe(totalBefore - outstanding);
    await admin.goto("/admin/accounts/online-payments?status=paid&q=CityLink");
    await expect(admin.getByRole("table", { name: "Online payments" }).getByRole("row").nth(1)).toContainText("CityLink Postpaid");
    await admin.goto("/admin/payments?kind=online_payment&q=CityLink");
    await expect(admin.getByRole("table", { name: "Payments received" }).getByRole("row").nth(1)).toContainText("Online payment");
  });

  test("a prepaid reseller at zero tops up online and can activate again", async ({ page }) => {
    const login = await adminCreatesReseller(page, `Topup Net ${unique()}`);
    await new LoginPage(page).signIn(login);
    await expect(page.getByTestId("blocked-banner")).toBeVisible();
    const pay = new PayOnlinePages(page);
    await pay.openFromDashboard();
    await pay.startPayment("30.00");
    await pay.choose("Pay");
    await pay.expectStatus("Paid");
    const portal = new PortalCustomerPages(page);
    expect(await portal.headerBalance()).toBe(3000);
    const customerUrl = await portal.create(`top${unique()}`);
    await portal.charge(customerUrl, "activate", "Home 10");
    await portal.expectCharged();
    await page.goto(customerUrl);
    expect(await portal.headerBalance()).toBe(3000 - 1200);
  });

  test("Cancel and Fail post nothing", async ({ page }) => {
    await new LoginPage(page).signInAs("prepaid");
    const portal = new PortalCustomerPages(page);
    const before = await portal.headerBalance();
    const pay = new PayOnlinePages(page);

    await pay.openFromDashboard();
    await pay.startPayment("7.00");
    await pay.choose("Cancel this payment");
    await pay.expectStatus("Canceled");

    await pay.openFromDashboard();
    await pay.startPayment("8.00");
    await pay.choose("Fail");
    await pay.expectStatus("Failed");

    await page.goto("/portal/pay-online");
    expect(await portal.headerBalance()).toBe(before);
  });

  test("an amount outside the admin's bounds is refused with a clear message", async ({ page }) => {
    await new LoginPage(page).signInAs("prepaid");
    const pay = new PayOnlinePages(page);
    await pay.openFromDashboard();
    await pay.amountField().fill("0.50");
    await page.getByRole("button", { name: "Continue to payment" }).click();
    await expect(page.getByTestId("form-error")).toContainText("Pay between $1.00 and $100,000.00");
    await pay.amountField().fill("12.345");
    await page.getByRole("button", { name: "Continue to payment" }).click();
    await expect(page.getByTestId("form-error")).toContainText("at most 2 decimals");
  });

  test("without payments.online there is no link and the pages refuse", async ({ page }) => {
    const name = `NoCard Net ${unique()}`;
    const login = await adminCreatesReseller(page, name);
    await new LoginPage(page).signInAs("admin");
    const resellers = new ResellersListPage(page);
    await resellers.goto();
    const id = await resellers.resellerId(name);
    await page.goto(`/admin/resellers/${id}/scope`);
    await page.getByLabel("Pay the admin online").uncheck();
    await page.getByRole("button", { name: "Save permissions & scope" }).click();
    await expect(page.getByTestId("form-success")).toBeVisible();
    await new LoginPage(page).signOut();

    await new LoginPage(page).signIn(login);
    await expect(page).toHaveURL(/\/portal$/);
    // No way to the payment pages: neither the menu's "Pay online" nor the dashboard's link ("Online now", the sessions list, stays).
    await expect(page.locator('a[href^="/portal/pay-online"]')).toHaveCount(0);
    for (const path of ["/portal/pay-online", "/portal/pay-online/00000000-0000-4000-8000-000000000000", "/portal/pay-online/00000000-0000-4000-8000-000000000000/sandbox"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
  });
});
