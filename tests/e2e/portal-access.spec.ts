import { expect, test } from "@playwright/test";
import { LoginPage } from "./pages/login-page";

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
    for (const path of portalExports) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(403);
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
