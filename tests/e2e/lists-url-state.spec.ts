import { expect, test } from "@playwright/test";
import { ResellersListPage } from "./pages/admin-pages";
import { LoginPage } from "./pages/login-page";

// A list's state lives in its URL: the toolbar, sort headers and pagers write it
// with the parsers the server page reads it with (lib/url-state/lists).
test.describe("list state in the URL", () => {
  test("admin customers: pager, sort, filter and search write the URL the server reads; the CSV link carries it; Back restores it", async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
    await page.goto("/admin/customers?perPage=10");
    const table = page.getByRole("table", { name: "Customers" });
    await expect(table.locator("tbody tr")).toHaveCount(10);

    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect(page.getByText(/^Page 2 of \d+/)).toBeVisible();

    const username = table.getByRole("columnheader", { name: /Username/ });
    await username.getByRole("button").click();
    await expect(page).toHaveURL(/[?&]sort=username\.asc(&|$)/);
    await expect(page).not.toHaveURL(/[?&]page=/); // a new order starts on the first page
    await expect(username).toHaveAttribute("aria-sort", "ascending");
    await expect(page.getByText(/^Page 1 of \d+/)).toBeVisible();
    const firstAscending = await table.locator("tbody tr").first().locator("td").first().textContent();
    await username.getByRole("button").click();
    await expect(page).toHaveURL(/[?&]sort=username\.desc(&|$)/);
    await expect(username).toHaveAttribute("aria-sort", "descending");
    await expect(table.locator("tbody tr").first().locator("td").first()).not.toHaveText(firstAscending!);

    await page.getByLabel("Status", { exact: true }).selectOption("active");
    await expect(page).toHaveURL(/[?&]status=active(&|$)/);
    await expect(page.getByLabel("Status", { exact: true })).toHaveValue("active");

    await page.getByLabel("Search").fill("zz-no-such-customer");
    await expect(page).toHaveURL(/[?&]q=zz-no-such-customer(&|$)/);
    await expect(table).toContainText("No customers match.");
    const csv = page.getByRole("link", { name: "Export CSV" });
    await expect(csv).toHaveAttribute("href", /^\/admin\/customers\/export\?/);
    const href = new URL((await csv.getAttribute("href"))!, "http://x");
    expect(Object.fromEntries(href.searchParams)).toMatchObject({ q: "zz-no-such-customer", status: "active", sort: "username.desc", perPage: "10" });

    await page.goBack();
    await expect(page).not.toHaveURL(/[?&]q=/);
    await expect(page).toHaveURL(/[?&]status=active(&|$)/);
    await expect(page.getByLabel("Search")).toHaveValue("");
  });

  test("bad values in the URL fall back to the defaults instead of failing", async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
    const response = await page.goto("/admin/customers?page=abc&perPage=7&sort=password.asc&status=zzz&reseller=not-an-id&expiry=soon");
    expect(response?.status()).toBe(200);
    const table = page.getByRole("table", { name: "Customers" });
    await expect(table.getByRole("columnheader", { name: /Created/ })).toHaveAttribute("aria-sort", "descending");
    await expect(page.getByText(/^Page 1 of \d+/)).toBeVisible();
    await expect(page.getByLabel("Status", { exact: true })).toHaveValue("");
    const exported = await page.request.get("/admin/payments/export?kind=nonsense&from=2026-99-99&sort=amount.sideways");
    expect(exported.status()).toBe(200);
  });

  test("statement: the keyset pager and the kind filter share the statement's parameters", async ({ page }) => {
    await new LoginPage(page).signInAs("admin");
    await new ResellersListPage(page).goto();
    const reseller = await page.locator('tbody a[href^="/admin/resellers/"]').first().getAttribute("href");
    await page.goto(`${reseller}/statement?perPage=10`);
    await page.getByRole("button", { name: "Older" }).click();
    await expect(page).toHaveURL(/[?&]direction=next(&|$)/);
    await expect(page).toHaveURL(/[?&]cursor=\d+(&|$)/);
    await expect(page.getByRole("button", { name: "Newer" })).toBeEnabled();

    await page.getByLabel("Kind").selectOption("activation");
    await expect(page).toHaveURL(/[?&]kinds=activation(&|$)/);
    await expect(page).not.toHaveURL(/[?&](cursor|direction)=/); // a new filter starts at the newest entries
    await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /statement\/export\?.*kinds=activation/);
  });
});
