import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";

/**
 * The portal at 360 px for docs/UX.md: signs in as the demo prepaid reseller
 * on a running Lastmile (`npm start`, then
 * `BASE_URL=http://localhost:3000 npx tsx scripts/ux-screenshots.ts`) and
 * saves one PNG per screen under docs/ux/. Reads only: it opens the forms but
 * confirms nothing.
 */
const base = process.env.BASE_URL ?? "http://localhost:3000";
const out = path.resolve(import.meta.dirname, "..", "docs", "ux");
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(process.env.UX_EMAIL ?? "prepaid@example.com");
  await page.getByLabel("Password").fill(process.env.UX_PASSWORD ?? "reseller-demo-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/portal$/);

  const shot = async (name: string, full = false) => {
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: full });
    console.log(`docs/ux/${name}.png`);
  };
  const go = async (p: string) => {
    await page.goto(`${base}${p}`);
  };
  const hrefOf = async (p: Page, selector: string) => (await p.locator(selector).first().getAttribute("href"))!;

  await shot("1-dashboard");
  await page.locator("summary", { hasText: "Menu" }).click();
  await shot("2-menu");
  await go("/portal/customers?expiry=active");
  const customer = await hrefOf(page, "table a[href^='/portal/customers/']");
  const username = (await page.locator("table a[href^='/portal/customers/']").first().textContent())!;
  await go(`/portal/customers?q=${encodeURIComponent(username)}`);
  await shot("3-find-customer");
  await go(customer);
  await shot("4-customer");
  await go(`${customer}/renew`);
  await shot("5-renew-confirm", true);
  await go(`${customer}/collect`);
  await shot("6-collect");
  await go("/portal/collections");
  await go(await hrefOf(page, "table a[href^='/portal/receipts/']"));
  await shot("7-receipt");
  await go("/portal/pay-online");
  await shot("8-pay-online");
  await go("/portal/collections");
  await shot("9-collections");
  await context.close();
} finally {
  await browser.close();
}
