import { expect, test, type Page } from "@playwright/test";
import { LoginPage } from "./pages/login-page";

/** Nothing on the page is wider than the window (the charts size to their card). */
async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

test.describe("dashboard charts", () => {
  for (const width of [1280, 390]) {
    test(`the admin sees money per day, who owes and how old it is, each with a table (${width} px)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await new LoginPage(page).signInAs("admin");
      for (const id of ["chart-flows", "chart-outstanding", "chart-aging"]) {
        const figure = page.getByTestId(id);
        // The drawing is an image named by its summary, and recharts has drawn into it.
        await expect(figure.getByRole("img")).toHaveAccessibleName(/\$/);
        await expect(figure.locator("svg.recharts-surface")).toBeVisible();
      }
      const flows = page.getByTestId("chart-flows");
      await expect(flows.getByRole("table")).toBeHidden();
      await flows.getByText("Show as table").click();
      await expect(flows.getByRole("table").getByRole("row")).toHaveCount(31); // header and 30 days
      const aging = page.getByTestId("chart-aging");
      await aging.getByText("Show as table").click();
      await expect(aging.getByRole("row")).toHaveCount(5); // header, 0–30, 31–60, 61–90, over 90
      await expect(aging.getByRole("row", { name: /61–90 days/ })).toContainText("$");
      await expectNoSidewaysScroll(page);
    });

    test(`a reseller sees its balance or outstanding and its activations over 30 days (${width} px)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      for (const who of ["prepaid", "postpaid"] as const) {
        await new LoginPage(page).signInAs(who);
        await expect(page.getByTestId("dashboard-balance").or(page.getByTestId("dashboard-outstanding"))).toBeVisible();
        const position = page.getByTestId("chart-position");
        await expect(position.getByRole("heading")).toHaveText(who === "prepaid" ? "Balance, last 30 days" : "Outstanding, last 30 days");
        await expect(position.getByRole("img")).toHaveAccessibleName(who === "prepaid" ? /Your balance went from/ : /Your outstanding went from .* collection limit/);
        await expect(position.locator("svg.recharts-surface")).toBeVisible();
        await expect(page.getByTestId("chart-charges").getByRole("img")).toHaveAccessibleName(/activations? and \d+ renewals?/);
        await page.getByTestId("chart-charges").getByText("Show as table").click();
        await expect(page.getByTestId("chart-charges").getByRole("table").getByRole("row")).toHaveCount(31);
        await expectNoSidewaysScroll(page);
        await new LoginPage(page).signOut();
      }
    });
  }
});
