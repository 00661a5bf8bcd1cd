import { expect, type Locator, type Page } from "@playwright/test";
import { LoginPage } from "./login-page";

/** Resellers & Managers > Resellers/Operators. */
export class ResellersListPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/resellers");
    await expect(this.page.getByRole("heading", { name: "Resellers/Operators" })).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("link", { name, exact: true }) });
  }

  async openAction(resellerName: string, action: string) {
    await this.page.getByRole("button", { name: `Actions for ${resellerName}` }).click();
    await this.row(resellerName).getByRole("menuitem", { name: action, exact: true }).click();
  }

  async resellerId(name: string): Promise<string> {
    const href = await this.row(name).getByRole("link", { name, exact: true }).getAttribute("href");
    return href!.split("/").pop()!;
  }
}

/** Add Balance / Entry Cash Received forms. */
export class MoneyFormPage {
  constructor(private readonly page: Page) {}

  async fill(amount: string, reference?: string) {
    await this.page.getByLabel(/^Amount/).fill(amount);
    if (reference) await this.page.getByLabel("Reference").fill(reference);
  }

  submit(name: RegExp) {
    return this.page.getByRole("button", { name });
  }

  async expectPosted() {
    await expect(this.page.getByTestId("form-success")).toBeVisible();
  }

  async balanceAfter() {
    return (await this.page.getByTestId("balance-after").textContent())!.trim();
  }

  async outstandingAfter() {
    return (await this.page.getByTestId("outstanding-after").textContent())!.trim();
  }
}

/** Parses "$1,234.50" / "-$12.00" into cents for comparisons. */
export function cents(text: string): number {
  const negative = text.includes("-");
  const digits = text.replace(/[^0-9]/g, "");
  return (negative ? -1 : 1) * Number(digits);
}

/** As the admin, creates a prepaid reseller with every permission, Downtown, and Home 10 at 12.00; returns its login. */
export async function adminCreatesReseller(page: Page, name: string) {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}@example.com`;
  await new LoginPage(page).signInAs("admin");
  await page.goto("/admin/resellers/new");
  await page.getByLabel("Reseller name").fill(name);
  await page.getByLabel("Name", { exact: true }).fill(`${name} Manager`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Initial password").fill("portal-pass-123");
  await page.getByLabel("Downtown").check();
  await page.getByLabel("Rate for Home 10").fill("12.00");
  await page.getByRole("button", { name: "Create reseller" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  await new LoginPage(page).signOut();
  return { email, password: "portal-pass-123" };
}
