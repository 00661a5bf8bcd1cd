import { expect, test } from "@playwright/test";
import { adminCreatesReseller, ResellersListPage } from "./pages/admin-pages";
import { LoginPage } from "./pages/login-page";
import { expectProblem } from "./pages/problem";
import { unique } from "./pages/unique";

// Every portal resource, page and export, refuses the admin and a signed-out visitor on the server.
const portalPages = ["/portal", "/portal/customers", "/portal/customers/new", "/portal/collections", "/portal/statement", "/portal/pay-online"];
const portalExports = ["/portal/customers/export", "/portal/collections/export", "/portal/statement/export"];

test.describe("portal resources refuse non-resellers", () => {
  test("the admin gets 403 on every portal page and export", async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
    for (const path of portalPages) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
    for (const path of portalExports) await expectProblem(await page.request.get(path), 403, "FORBIDDEN", path);
  });

  test("a reseller without the export's permission gets a 403 problem from the route itself", async ({ page }) => {
    const name = `NoExports Net ${unique()}`;
    const login = await adminCreatesReseller(page, name);
    await new LoginPage(page).signInAs("admin");
    const resellers = new ResellersListPage(page);
    await resellers.goto();
    await page.goto(`/admin/resellers/${await resellers.resellerId(name)}/scope`);
    for (const permission of ["View customers", "Collect customer payments", "View balance and statement"]) await page.getByLabel(permission).uncheck();
    await page.getByRole("button", { name: "Save permissions & scope" }).click();
    await expect(page.getByTestId("form-success")).toBeVisible();
    await new LoginPage(page).signOut();

    await new LoginPage(page).signIn(login);
    await expect(page).toHaveURL(/\/portal$/);
    for (const path of portalExports) {
      const response = await page.request.get(path);
      await expectProblem(response, 403, "FORBIDDEN", path);
      expect((await response.json()).detail, path).toContain("permission");
    }
  });

  test("a signed-out visitor is sent to sign-in and gets no export", async ({ page, request }) => {
    for (const path of portalPages) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/login/);
    }
    for (const path of portalExports) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect([302, 307, 401], path).toContain(response.status());
    }
  });

  test("an unknown customer or receipt id is a 404, not an error", async ({ page }) => {
    await new LoginPage(page).signInAs("prepaid");
    for (const path of ["/portal/customers/not-an-id", "/portal/customers/00000000-0000-4000-8000-000000000000/renew", "/portal/receipts/00000000-0000-4000-8000-000000000000"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
    }
  });
});
