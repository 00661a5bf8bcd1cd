import { expect, type Page } from "@playwright/test";
import { cents } from "./admin-pages";

/** The reseller's customers: create one, open it, activate, renew, collect. */
export class PortalCustomerPages {
  constructor(private readonly page: Page) {}

  /** Creates a customer in the reseller's first area and returns its page URL. */
  async create(username: string, name = `Customer ${username}`): Promise<string> {
    await this.page.goto("/portal/customers/new");
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Full name").fill(name);
    await this.page.getByRole("button", { name: "Create customer" }).click();
    await this.page.getByTestId("form-success").getByRole("link", { name: username }).click();
    await expect(this.page.getByRole("heading", { name })).toBeVisible();
    return this.page.url();
  }

  /** Picks a package by name on the activate/renew page and confirms (with a double click if asked). */
  async charge(customerUrl: string, kind: "activate" | "renew", packageName: string, { doubleClick = false } = {}) {
    await this.page.goto(`${customerUrl}/${kind}`);
    await this.page.getByRole("radio", { name: new RegExp(`^${packageName}`) }).check();
    const confirm = this.page.getByRole("button", { name: kind === "activate" ? "Confirm activation" : "Confirm renewal" });
    await (doubleClick ? confirm.dblclick() : confirm.click());
  }

  async expectCharged() {
    await expect(this.page.getByTestId("charge-success")).toBeVisible();
  }

  async expectRefused(message: RegExp) {
    await expect(this.page.getByTestId("form-error")).toContainText(message);
  }

  async headerBalance(): Promise<number> {
    return cents((await this.page.getByTestId("header-balance").textContent())!);
  }

  async headerOutstanding(): Promise<number> {
    return cents((await this.page.getByTestId("header-outstanding").textContent())!);
  }
}
