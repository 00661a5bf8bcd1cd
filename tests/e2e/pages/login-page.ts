import { expect, type Page } from "@playwright/test";

export const demo = {
  admin: { email: "admin@example.com", password: "admin-demo-pass" },
  prepaid: { email: "prepaid@example.com", password: "reseller-demo-pass" },
  postpaid: { email: "postpaid@example.com", password: "reseller-demo-pass" },
} as const;

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/login");
  }

  async signIn(credentials: { email: string; password: string }) {
    await this.goto();
    await this.page.getByLabel("Email").fill(credentials.email);
    await this.page.getByLabel("Password").fill(credentials.password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async signInAs(who: keyof typeof demo) {
    await this.signIn(demo[who]);
    await expect(this.page).toHaveURL(who === "admin" ? /\/admin$/ : /\/portal$/);
  }

  async signOut() {
    const button = this.page.getByRole("button", { name: "Sign out" });
    // On a phone it sits in the Menu.
    if (!(await button.isVisible())) await this.page.locator("summary", { hasText: "Menu" }).click();
    await button.click();
    await expect(this.page).toHaveURL(/\/login/);
  }
}
