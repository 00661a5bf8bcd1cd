import { expect, test } from "@playwright/test";
import { ResellersListPage } from "./pages/admin-pages";
import { LoginPage } from "./pages/login-page";
import { expectProblem } from "./pages/problem";

// Every admin resource, page and export, refuses a reseller and a signed-out visitor on the server.
const adminPages = ["/admin", "/admin/resellers", "/admin/resellers/new", "/admin/packages", "/admin/packages/new", "/admin/customers", "/admin/accounts/receivable", "/admin/payments", "/admin/accounts/online-payments", "/admin/audit"];
const adminExports = ["/admin/resellers/export", "/admin/customers/export", "/admin/accounts/receivable/export", "/admin/payments/export", "/admin/accounts/online-payments/export", "/admin/audit/export"];

test.describe("admin resources refuse non-admins", () => {
  test("a reseller gets 403 on every admin page and export", async ({ page }) => {
    await new LoginPage(page).signInAs("postpaid");
    for (const path of adminPages) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
    for (const path of adminExports) await expectProblem(await page.request.get(path), 403, "FORBIDDEN", path);
  });

  test("a signed-out visitor cannot download exports", async ({ request }) => {
    for (const path of adminExports) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect([302, 307, 401], path).toContain(response.status());
    }
  });

  test("an unknown reseller id is a 404, not an error", async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
    for (const path of ["/admin/resellers/not-an-id", "/admin/resellers/00000000-0000-4000-8000-000000000000/add-balance", "/admin/packages/123"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
    }
  });

  test("a statement export of an unknown reseller is a 404 problem before any CSV is sent", async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-an-id"]) {
      const path = `/admin/resellers/${id}/statement/export`;
      await expectProblem(await page.request.get(path), 404, "RESELLER_NOT_FOUND", path);
    }
    await new ResellersListPage(page).goto();
    const reseller = await page.locator('tbody a[href^="/admin/resellers/"]').first().getAttribute("href");
    const known = await page.request.get(`${reseller}/statement/export`);
    expect(known.status()).toBe(200);
    expect(known.headers()["content-type"]).toContain("text/csv");
    expect((await known.text()).split("\r\n")[0]).toContain("balance_after");
  });
});
