import { expect, test } from "@playwright/test";
import { adminCreatesReseller, ResellersListPage } from "./pages/admin-pages";
import { LoginPage } from "./pages/login-page";
import { unique } from "./pages/unique";

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

  test("a sign-in submitted before the page is interactive never puts the password in the URL", async ({ browser }) => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill("admin@example.com");
    await page.getByLabel("Password").fill("admin-demo-pass");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForLoadState();
    expect(page.url()).not.toContain("admin-demo-pass");
    expect(page.url()).not.toContain("password");
    await noScript.close();
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

test.describe("suspension", () => {
  test("suspending a reseller ends its users' sessions on their next request and stops sign-in, until it is reactivated", async ({ browser }) => {
    const adminSession = await browser.newContext();
    const admin = await adminSession.newPage();
    const name = `Paused ${unique()}`;
    const login = await adminCreatesReseller(admin, name);

    const resellerSession = await browser.newContext();
    const reseller = await resellerSession.newPage();
    await new LoginPage(reseller).signIn(login);
    await expect(reseller).toHaveURL(/\/portal$/);

    await new LoginPage(admin).signInAs("admin");
    const list = new ResellersListPage(admin);
    await list.goto();
    const id = await list.resellerId(name);
    await admin.goto(`/admin/resellers/${id}/status`);
    await admin.getByRole("button", { name: "Suspend reseller" }).click();
    await expect(admin.getByTestId("form-success")).toContainText("is now suspended");

    // The session cookie is still there; the server no longer accepts it.
    await reseller.goto("/portal/customers");
    await expect(reseller).toHaveURL(/\/login/);
    await new LoginPage(reseller).signIn(login);
    await expect(reseller.getByTestId("login-error")).toHaveText("That email and password do not match an active account.");

    await admin.goto(`/admin/resellers/${id}/status`);
    await admin.getByRole("button", { name: "Reactivate reseller" }).click();
    await expect(admin.getByTestId("form-success")).toContainText("is now active");
    await new LoginPage(reseller).signIn(login);
    await expect(reseller).toHaveURL(/\/portal$/);
    await adminSession.close();
    await resellerSession.close();
  });
});
