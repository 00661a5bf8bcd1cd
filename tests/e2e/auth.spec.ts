import { expect, test } from "@playwright/test";
import { LoginPage } from "./pages/login-page";

test.describe("sign-in and the shell", () => {
  test("admin signs in, sees the admin menu, and signs out", async ({ page }) => {
    const login = new LoginPage(page);
    await login.signInAs("admin");
    const nav = page.getByRole("navigation", { name: "Main" }).last();
    for (const item of ["Dashboard", "Resellers/Operators", "Packages", "Customers", "Accounts Receivable", "Payments", "Audit log"]) {
      await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
    }
    await expect(page.getByTestId("user-name")).toHaveText("Demo Admin");
    await login.signOut();
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/login/);
  });

  test("prepaid reseller signs in and sees its balance", async ({ page }) => {
    await new LoginPage(page).signInAs("prepaid");
    await expect(page.getByTestId("header-balance")).toContainText("$");
    await expect(page.getByRole("navigation", { name: "Main" }).last().getByRole("link", { name: "Statement" })).toBeVisible();
  });

  test("postpaid reseller signs in and sees its outstanding", async ({ page }) => {
    await new LoginPage(page).signInAs("postpaid");
    await expect(page.getByTestId("header-outstanding")).toContainText("$");
  });

  test("a wrong password gets one neutral message", async ({ page }) => {
    await new LoginPage(page).signIn({ email: "admin@example.com", password: "wrong-password" });
    await expect(page.getByTestId("login-error")).toHaveText("That email and password do not match an active account.");
    await new LoginPage(page).signIn({ email: "nobody@example.com", password: "wrong-password" });
    await expect(page.getByTestId("login-error")).toHaveText("That email and password do not match an active account.");
  });
});

test.describe("unauthorized access", () => {
  test("signed-out visitors are sent to sign-in", async ({ page }) => {
    for (const path of ["/admin", "/admin/resellers", "/portal", "/portal/customers"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login/);
    }
  });

  test("a reseller opening /admin is refused", async ({ page }) => {
    await new LoginPage(page).signInAs("prepaid");
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You can't open this page" })).toBeVisible();
  });

  test("the admin opening /portal is refused", async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
    const response = await page.goto("/portal");
    expect(response?.status()).toBe(403);
  });
});
