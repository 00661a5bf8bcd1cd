import { expect, type Page } from "@playwright/test";

/** The API tokens page of the admin console or the portal. */
export class ApiTokensPage {
  constructor(
    private readonly page: Page,
    private readonly path: "/admin/api-tokens" | "/portal/api-tokens",
  ) {}

  async goto() {
    await this.page.goto(this.path);
    await expect(this.page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
  }

  /** Issues a token and returns it as shown (once). */
  async issue(options: { name: string; owner?: RegExp; scopes?: string[] }): Promise<string> {
    if (options.owner) {
      const select = this.page.getByLabel("For user");
      const value = await select.locator("option", { hasText: options.owner }).first().getAttribute("value");
      await select.selectOption(value!);
    }
    await this.page.getByLabel("Name").fill(options.name);
    for (const scope of options.scopes ?? []) await this.page.locator(`input[name="scopes[]"][value="${scope}"]`).check();
    await this.page.getByRole("button", { name: "Issue token" }).click();
    const shown = this.page.getByTestId("issued-token");
    await expect(shown).toBeVisible();
    return (await shown.textContent())!.trim();
  }

  row(name: string) {
    return this.page.getByTestId("api-tokens").getByRole("row").filter({ hasText: name });
  }

  async revoke(name: string) {
    this.page.once("dialog", (dialog) => void dialog.accept());
    await this.row(name).getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(this.row(name)).toContainText("revoked");
  }
}
