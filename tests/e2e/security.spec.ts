import { expect, test } from "@playwright/test";
import { demo, LoginPage } from "./pages/login-page";

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
