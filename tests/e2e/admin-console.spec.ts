import { expect, test } from "@playwright/test";
import { LoginPage } from "./pages/login-page";

test.describe("admin console", () => {
  test.beforeEach(async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
  });

  test("creates a package, then a prepaid reseller selling it, who can sign in", async ({ page }) => {
    const suffix = Date.now().toString(36);
    await page.goto("/admin/packages/new");
    await page.getByLabel("Name").fill(`Fiber ${suffix}`);
    await page.getByLabel(/^Customer price/).fill("60.00");
    await page.getByLabel("Download (Mbps)").fill("200");
    await page.getByLabel("Upload (Mbps)").fill("100");
    await page.getByRole("button", { name: "Create package" }).click();
    await expect(page.getByTestId("form-success")).toContainText(`Fiber ${suffix}`);

    await page.goto("/admin/resellers/new");
    await page.getByLabel("Reseller name").fill(`Metro ${suffix}`);
    await page.getByLabel("Name", { exact: true }).fill("Metro Manager");
    await page.getByLabel("Email", { exact: true }).fill(`metro-${suffix}@example.com`);
    await page.getByLabel("Initial password").fill("metro-pass-123");
    await page.getByLabel("Downtown").check();
    await page.getByLabel(`Rate for Fiber ${suffix}`).fill("48.00");
    await page.getByRole("button", { name: "Create reseller" }).click();
    await page.getByTestId("form-success").getByRole("link").click();
    await expect(page.getByRole("heading", { name: `Metro ${suffix}` })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: `Fiber ${suffix}` })).toContainText("$48.00");

    await new LoginPage(page).signOut();
    await new LoginPage(page).signIn({ email: `metro-${suffix}@example.com`, password: "metro-pass-123" });
    await expect(page).toHaveURL(/\/portal$/);
  });

  test("a duplicate reseller name gets a field message", async ({ page }) => {
    await page.goto("/admin/resellers/new");
    await page.getByLabel("Reseller name").fill("FastNet Prepaid");
    await page.getByLabel("Name", { exact: true }).fill("Someone");
    await page.getByLabel("Email", { exact: true }).fill(`dup-${Date.now()}@example.com`);
    await page.getByLabel("Initial password").fill("a-long-password");
    await page.getByRole("button", { name: "Create reseller" }).click();
    await expect(page.getByTestId("error-name")).toHaveText("A reseller with that name already exists.");
  });

  test("dashboard, payments, customers and audit log show the seeded business", async ({ page }) => {
    await page.goto("/admin");
    await expect(page.getByTestId("stat-outstanding")).toContainText("$");
    // A quarter of history: the opening balance is found by its reference, not on the first page.
    await page.goto("/admin/payments?q=DEMO-OPENING");
    await expect(page.getByRole("row").filter({ hasText: "DEMO-OPENING" })).toBeVisible();
    // A range that ends before the seed empties the table; the URL keeps it.
    await page.getByLabel("To").fill("2000-01-31");
    await expect(page).toHaveURL(/to=2000-01-31/);
    await expect(page.getByRole("row").filter({ hasText: "DEMO-OPENING" })).toHaveCount(0);
    await page.goto("/admin/customers?reseller=");
    await expect(page.getByText(/rows/)).toBeVisible();
    await page.goto("/admin/audit");
    await expect(page.getByRole("row").filter({ hasText: "auth.sign_in" }).first()).toBeVisible();
  });
});
