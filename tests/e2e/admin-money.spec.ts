import { expect, test, type Page } from "@playwright/test";
import { cents, MoneyFormPage, ResellersListPage } from "./pages/admin-pages";
import { LoginPage } from "./pages/login-page";

const PREPAID = "FastNet Prepaid";
const POSTPAID = "CityLink Postpaid";

async function statementEntriesWithReference(page: Page, resellerId: string, reference: string) {
  await page.goto(`/admin/resellers/${resellerId}/statement`);
  return page.getByRole("row").filter({ hasText: `ref ${reference}` }).count();
}

test.describe("admin money: Resellers/Operators > Actions", () => {
  test.beforeEach(async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
  });

  test("Add Balance credits the prepaid reseller; the list and the statement show the new balance", async ({ page }) => {
    const list = new ResellersListPage(page);
    await list.goto();
    const before = cents((await list.row(PREPAID).getByTestId("row-balance").textContent())!);
    const id = await list.resellerId(PREPAID);
    await list.openAction(PREPAID, "Add Balance");
    await expect(page).toHaveURL(new RegExp(`/admin/resellers/${id}/add-balance`));
    const form = new MoneyFormPage(page);
    await form.fill("1,250.50", "E2E-ADD-1");
    await form.submit(/Add Balance/).click();
    await form.expectPosted();
    expect(cents(await form.balanceAfter())).toBe(before + 125050);

    await list.goto();
    expect(cents((await list.row(PREPAID).getByTestId("row-balance").textContent())!)).toBe(before + 125050);
    await page.goto(`/admin/resellers/${id}/statement`);
    const entry = page.getByRole("row").filter({ hasText: "ref E2E-ADD-1" });
    await expect(entry).toContainText("$1,250.50");
    expect(cents((await entry.getByRole("cell").nth(6).textContent())!)).toBe(before + 125050);
  });

  test("Entry Cash Received from Actions and from Accounts Receivable each reduce the outstanding", async ({ page }) => {
    const list = new ResellersListPage(page);
    await list.goto();
    const id = await list.resellerId(POSTPAID);
    const start = cents((await list.row(POSTPAID).getByTestId("row-outstanding").textContent())!);
    expect(start).toBeGreaterThan(2000);

    await list.openAction(POSTPAID, "Entry Cash Received");
    const form = new MoneyFormPage(page);
    await form.fill("10.00", "E2E-CASH-1");
    await form.submit(/Record cash received/).click();
    await form.expectPosted();
    expect(cents(await form.outstandingAfter())).toBe(start - 1000);

    await page.goto("/admin/accounts/receivable");
    const row = page.getByTestId(`receivable-${id}`);
    expect(cents((await row.getByTestId("receivable-outstanding").textContent())!)).toBe(start - 1000);
    await row.getByRole("link", { name: "Entry for Cash Received" }).click();
    await expect(page.getByRole("heading", { name: "Entry for Cash Received" })).toBeVisible();
    await form.fill("5.00", "E2E-CASH-2");
    await form.submit(/Record cash received/).click();
    await form.expectPosted();
    expect(cents(await form.outstandingAfter())).toBe(start - 1500);
    await page.goto("/admin/accounts/receivable");
    expect(cents((await page.getByTestId(`receivable-${id}`).getByTestId("receivable-outstanding").textContent())!)).toBe(start - 1500);
  });

  test("a double-clicked submit posts once", async ({ page }) => {
    const list = new ResellersListPage(page);
    await list.goto();
    const id = await list.resellerId(PREPAID);
    await page.goto(`/admin/resellers/${id}/add-balance`);
    const form = new MoneyFormPage(page);
    await form.fill("3.00", "E2E-DOUBLE");
    await form.submit(/Add Balance/).dblclick();
    await form.expectPosted();
    expect(await statementEntriesWithReference(page, id, "E2E-DOUBLE")).toBe(1);
  });

  test("bad amounts show a field error and post nothing", async ({ page }) => {
    const list = new ResellersListPage(page);
    await list.goto();
    const id = await list.resellerId(PREPAID);
    await page.goto(`/admin/resellers/${id}/add-balance`);
    const form = new MoneyFormPage(page);
    for (const [amount, message] of [["-5", "The amount must be positive."], ["abc", '"abc" is not an amount'], ["1.234", "USD allows at most 2 decimals."]] as const) {
      await form.fill(amount, "E2E-BAD");
      await form.submit(/Add Balance/).click();
      await expect(page.getByTestId("error-amount")).toContainText(message);
      await expect(page.getByLabel(/^Amount/)).toHaveValue(amount);
    }
    expect(await statementEntriesWithReference(page, id, "E2E-BAD")).toBe(0);
  });

  test("reversing an entry restores the balance, once", async ({ page }) => {
    const list = new ResellersListPage(page);
    await list.goto();
    const id = await list.resellerId(PREPAID);
    await page.goto(`/admin/resellers/${id}/add-balance`);
    const form = new MoneyFormPage(page);
    await form.fill("7.77", "E2E-REVERSE");
    await form.submit(/Add Balance/).click();
    await form.expectPosted();
    const after = cents(await form.balanceAfter());

    await page.goto(`/admin/resellers/${id}/statement`);
    await page.getByRole("row").filter({ hasText: "ref E2E-REVERSE" }).getByRole("link", { name: "Reverse" }).click();
    await page.getByLabel("Reason").fill("Entered twice by mistake");
    await page.getByRole("button", { name: "Reverse entry" }).click();
    await form.expectPosted();
    expect(cents(await form.balanceAfter())).toBe(after - 777);

    await page.goto(`/admin/resellers/${id}/statement`);
    const original = page.getByRole("row").filter({ hasText: "ref E2E-REVERSE" });
    await expect(original).toContainText("reversed by #");
    await expect(original.getByRole("link", { name: "Reverse" })).toHaveCount(0);
    await expect(page.getByRole("row").filter({ hasText: "Entered twice by mistake" })).toContainText("Reversal");
  });
});
