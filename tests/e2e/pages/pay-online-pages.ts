import { expect, type Page } from "@playwright/test";

/** Portal > Pay online, the sandbox checkout and the payment's return page. */
export class PayOnlinePages {
  constructor(private readonly page: Page) {}

  async openFromDashboard() {
    await this.page.goto("/portal");
    await this.page.getByRole("link", { name: /online$/ }).first().click();
    await expect(this.page.getByRole("heading", { name: "Pay online", level: 1 })).toBeVisible();
  }

  amountField() {
    return this.page.getByLabel(/^Amount/);
  }

  /** Starts a payment (optionally of `amount`) and lands on the sandbox checkout. */
  async startPayment(amount?: string) {
    if (amount !== undefined) await this.amountField().fill(amount);
    await this.page.getByRole("button", { name: "Continue to payment" }).click();
    await expect(this.page.getByTestId("sandbox-banner")).toHaveText("Sandbox — no real money");
  }

  /** On the sandbox checkout: Pay, Pay (delayed), Fail or Cancel this payment; returns on the payment's page. */
  async choose(button: "Pay" | "Pay (delayed)" | "Fail" | "Cancel this payment") {
    await this.page.getByRole("button", { name: button, exact: true }).click();
    await expect(this.page.getByRole("heading", { name: "Online payment" })).toBeVisible();
  }

  async expectStatus(status: "Paid" | "Failed" | "Canceled" | "Pending") {
    await expect(this.page.getByTestId("online-payment-status")).toHaveText(status);
  }
}
