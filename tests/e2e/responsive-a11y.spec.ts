import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSidewaysScroll, SignedIn, type Who } from "./pages/signed-in";
import { pagesOf as routesOf, urlOf } from "./pages/site-map";
import { adminRecords, resellerRecords } from "./pages/site-records";

const phone = { width: 360, height: 780 };
const desktop = { width: 1280, height: 900 };
const wcag21aa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Pages = { listed: string[]; all: string[] };
let signedIn: SignedIn;
const pages: Partial<Record<Who, Pages>> = {};

/** Opens a page and waits until it has settled (charts drawn, tables sized). */
async function open(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await page.waitForLoadState("networkidle");
}

async function expectNoAxeViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(wcag21aa).analyze();
  const found = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")})`);
  expect(found, `${where} at ${page.viewportSize()?.width} px`).toEqual([]);
}

/**
 * The pages of one login: every page of its area in the site map (so a page added to the
 * app is swept too), opened on records found the way a user would, through the lists.
 * `listed` are the pages the phone sweep must fit: all of the portal, and the admin's daily ones.
 */
async function pagesOf(who: Who): Promise<Pages> {
  if (pages[who]) return pages[who];
  const context = await signedIn.context(who);
  const page = await context.newPage();
  const records = who === "admin" ? await adminRecords(page, "CityLink Postpaid") : await resellerRecords(page);
  await context.close();
  const all = routesOf(who === "admin" ? "admin" : "reseller").map((route) => urlOf(route, records));
  if (who === "admin") {
    const reseller = urlOf("/admin/resellers/[id]", records);
    const listed = ["/admin", "/admin/resellers", reseller, "/admin/accounts/receivable", "/admin/payments", "/admin/accounts/online-payments"];
    pages.admin = { listed, all };
    return pages.admin;
  }
  // Axe reads every portal page as the prepaid reseller; the postpaid one differs in its money
  // (outstanding against a limit), so it reads the pages that show it.
  const money = ["/portal", "/portal/customers/[id]", "/portal/customers/[id]/renew", "/portal/pay-online"].map((route) => urlOf(route, records));
  pages[who] = { listed: all, all: who === "prepaid" ? all : all.filter((p) => money.includes(p)) };
  return pages[who];
}

test.describe("every page on a phone and a desktop, for everyone", () => {
  // Many pages per test; the default minute is for one page's worth of work.
  test.describe.configure({ timeout: 180_000 });
  test.beforeAll(({ browser }) => {
    signedIn = new SignedIn(browser);
  });

  for (const who of ["admin", "prepaid", "postpaid"] as const) {
    for (const viewport of [phone, desktop]) {
      test(`${who}: no page scrolls sideways at ${viewport.width}×${viewport.height}`, async () => {
        test.setTimeout(300_000);
        const { listed } = await pagesOf(who);
        const context = await signedIn.context(who, { viewport });
        const page = await context.newPage();
        for (const path of listed) {
          await open(page, path);
          await expectNoSidewaysScroll(page, path);
        }
        await context.close();
      });
    }
  }

  // Every page once (the portal as it is used, on a phone; the admin's at a desk with the sidebar
  // and its menu group labels), and the other size's menu too.
  for (const [who, viewport] of [["admin", desktop], ["prepaid", phone], ["postpaid", phone]] as const) {
    test(`${who}: axe finds no WCAG 2.1 A/AA violation on any page`, async () => {
      test.setTimeout(600_000);
      const { all } = await pagesOf(who);
      const context = await signedIn.context(who, { viewport });
      const page = await context.newPage();
      for (const path of all) {
        await open(page, path);
        await expectNoAxeViolations(page, path);
      }
      await context.close();
    });
  }

  test("the menus pass axe open: the phone's Menu and the reseller Actions menu", async () => {
    test.setTimeout(180_000);
    for (const who of ["admin", "postpaid"] as const) {
      const context = await signedIn.context(who, { viewport: phone });
      const page = await context.newPage();
      await open(page, who === "admin" ? "/admin" : "/portal");
      await page.locator("summary", { hasText: "Menu" }).click();
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" })).toBeVisible();
      await expectNoAxeViolations(page, `${who} menu open`);
      await expectNoSidewaysScroll(page, `${who} menu open`);
      if (who === "admin") {
        await open(page, "/admin/resellers");
        await page.getByRole("button", { name: "Actions for CityLink Postpaid" }).click();
        await expect(page.getByRole("menu")).toBeVisible();
        await expectNoAxeViolations(page, "Actions menu open");
        await expectNoSidewaysScroll(page, "Actions menu open");
      }
      await context.close();
    }
    const context = await signedIn.context("prepaid", { viewport: desktop });
    const page = await context.newPage();
    await open(page, "/portal");
    await expectNoAxeViolations(page, "portal sidebar");
    await context.close();
  });

  test("the sign-in page passes axe and fits a phone", async ({ browser }) => {
    const context = await browser.newContext({ viewport: phone });
    const page = await context.newPage();
    await open(page, "/login");
    await expectNoAxeViolations(page, "/login");
    await expectNoSidewaysScroll(page, "/login");
    await context.close();
  });

  test("the Actions menu is a menu button: aria-expanded, arrows, Home/End, Escape and Enter, with the keyboard alone", async () => {
    const context = await signedIn.context("admin", { viewport: phone });
    const page = await context.newPage();
    await open(page, "/admin/resellers");
    const button = page.getByRole("button", { name: "Actions for CityLink Postpaid" });
    await expect(button).toHaveAttribute("aria-haspopup", "menu");
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await button.focus();
    await page.keyboard.press("Enter");
    await expect(button).toHaveAttribute("aria-expanded", "true");
    const menu = page.getByRole("menu", { name: "Actions for CityLink Postpaid" });
    await expect(menu.getByRole("menuitem")).toHaveCount(7);
    await expect(menu.getByRole("menuitem", { name: "Add Balance" })).toBeFocused();
    // The menu sits inside the window, even from a row that scrolls sideways.
    const box = (await menu.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(phone.width);
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Entry Cash Received" })).toBeFocused();
    await page.keyboard.press("End");
    await expect(menu.getByRole("menuitem", { name: "Suspend / reactivate" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Add Balance" })).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(menu.getByRole("menuitem", { name: "Suspend / reactivate" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(button).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(menu.getByRole("menuitem", { name: "Suspend / reactivate" })).toBeFocused();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Statement" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/admin\/resellers\/[0-9a-f-]+\/statement$/);
    await expect(page).toHaveTitle("Statement · Lastmile");
    await context.close();
  });

  test("installable: the manifest and its icons are static files, and every page links the manifest", async ({ request }) => {
    const manifest = await request.get("/manifest.webmanifest");
    expect(manifest.status()).toBe(200);
    const body = await manifest.json();
    expect(body).toMatchObject({ name: "Lastmile", start_url: "/", display: "standalone" });
    const sizes = (body.icons as { src: string; sizes: string; type: string; purpose: string }[]).map((i) => `${i.sizes} ${i.purpose}`);
    expect(sizes).toEqual(expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]));
    for (const icon of body.icons as { src: string; type: string }[]) {
      const response = await request.get(icon.src);
      expect(response.status(), icon.src).toBe(200);
      expect(response.headers()["content-type"]).toContain(icon.type);
    }
    const context = await signedIn.context("prepaid");
    const page = await context.newPage();
    await open(page, "/portal/collections");
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
    await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/icons/apple-touch-icon.png");
    await expect(page).toHaveTitle("Collections · Lastmile");
    await context.close();
  });
});
