import { expect, test } from "@playwright/test";
import { adminCreatesReseller, ResellersListPage } from "./pages/admin-pages";
import { ApiTokensPage } from "./pages/api-token-pages";
import { LoginPage } from "./pages/login-page";
import { unique } from "./pages/unique";

// Tokens issued and revoked from the screens, used against the running app's /api/v1.

test("the admin issues a token for a reseller user, it works once shown, and revocation stops it", async ({ page, request }) => {
  await new LoginPage(page).signInAs("admin");
  const tokens = new ApiTokensPage(page, "/admin/api-tokens");
  await tokens.goto();
  const name = `Kiosk ${unique()}`;
  const token = await tokens.issue({ name, owner: /prepaid@example\.com/, scopes: ["customers.view", "finance.view"] });
  expect(token).toMatch(/^lm_live_[A-Za-z0-9_-]{43}$/);

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  const body = await me.json();
  expect(body.token.scopes).toEqual(["customers.view", "finance.view"]);
  expect(body.position.currency).toMatch(/^[A-Z]{3}$/);
  expect(me.headers()["ratelimit-limit"]).toBeTruthy();
  const packages = await request.get("/api/v1/packages", { headers: { authorization: `Bearer ${token}` } });
  expect(packages.status()).toBe(200);
  const forbidden = await request.post("/api/v1/customers", { headers: { authorization: `Bearer ${token}`, "idempotency-key": crypto.randomUUID() }, data: { username: "nope-1", name: "No", areaId: crypto.randomUUID() } });
  expect(forbidden.status()).toBe(403);
  expect(forbidden.headers()["content-type"]).toBe("application/problem+json");

  // The page shows the prefix only, never the token again.
  await page.reload();
  await expect(tokens.row(name)).toContainText(token.slice(0, 16));
  await expect(page.getByText(token)).toHaveCount(0);
  await tokens.revoke(name);
  const after = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
});

test("a reseller issues its own token in the portal and cannot see the admin's page", async ({ page, request }) => {
  await new LoginPage(page).signInAs("postpaid");
  const tokens = new ApiTokensPage(page, "/portal/api-tokens");
  await tokens.goto();
  const name = `App ${unique()}`;
  const token = await tokens.issue({ name });
  const customers = await request.get("/api/v1/customers?limit=2", { headers: { authorization: `Bearer ${token}` } });
  expect(customers.status()).toBe(200);
  expect((await customers.json()).data.length).toBeLessThanOrEqual(2);
  const admin = await request.get("/api/v1/resellers", { headers: { authorization: `Bearer ${token}` } });
  expect(admin.status()).toBe(403);
  expect((await page.goto("/admin/api-tokens"))?.status()).toBe(403);
});

test("a double click on Issue token issues one token", async ({ page }) => {
  await new LoginPage(page).signInAs("prepaid");
  const tokens = new ApiTokensPage(page, "/portal/api-tokens");
  await tokens.goto();
  const name = `Twice ${unique()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Issue token" }).dblclick();
  await expect(page.getByTestId("issued-token")).toBeVisible();
  await page.reload();
  await expect(tokens.row(name)).toHaveCount(1);
});

test("signed-out visitors, the admin in the portal, and a reseller without the permission get no token page", async ({ page }) => {
  for (const path of ["/admin/api-tokens", "/portal/api-tokens"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/login/);
  }
  // The admin takes "Manage its own API tokens" from a reseller: its page and menu entry are gone.
  const name = `NoTokens Net ${unique()}`;
  const login = await adminCreatesReseller(page, name);
  await new LoginPage(page).signInAs("admin");
  expect((await page.goto("/portal/api-tokens"))?.status()).toBe(403);
  const resellers = new ResellersListPage(page);
  await resellers.goto();
  await page.goto(`/admin/resellers/${await resellers.resellerId(name)}/scope`);
  await page.getByLabel("Manage its own API tokens").uncheck();
  await page.getByRole("button", { name: "Save permissions & scope" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
  await new LoginPage(page).signOut();
  await new LoginPage(page).signIn(login);
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("link", { name: "API tokens" })).toHaveCount(0);
  expect((await page.goto("/portal/api-tokens"))?.status()).toBe(403);
});

test("the API reference renders under its Content-Security-Policy", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/favicon/.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  const response = await page.goto("/docs/api");
  expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
  await expect(page.getByRole("heading", { name: "Lastmile API" }), problems.join("\n")).toBeVisible();
  await expect(page.getByText("Activate a package for a customer").first()).toBeVisible();
  expect(problems.filter((p) => !/Failed to load resource.*404/.test(p))).toEqual([]);
});
