import { expect, type Page } from "@playwright/test";
import { PayOnlinePages } from "./pay-online-pages";
import type { RecordKind } from "./site-map";
import { unique } from "./unique";

/**
 * One record of each kind a page route needs, found the way a user finds them
 * (through the lists), so a walk over the site map opens every detail page.
 * Where the demo has none (routers, an open online payment), one is made
 * through the app's own forms.
 */
export type SiteRecords = Partial<Record<RecordKind, string>>;

export const UUID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";

/** The id in the first link on `url` whose href matches `pattern` (one capture group). */
export async function firstLinkedId(page: Page, url: string, pattern: RegExp): Promise<string | undefined> {
  await page.goto(url);
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  for (const href of hrefs) {
    const id = pattern.exec(href)?.[1];
    if (id) return id;
  }
  return undefined;
}

async function requiredLinkedId(page: Page, url: string, pattern: RegExp): Promise<string> {
  const id = await firstLinkedId(page, url, pattern);
  expect(id, `a link like ${pattern} on ${url}`).toBeTruthy();
  return id!;
}

const routerLink = /^\/admin\/network\/routers\/((?!new$)[^/?#]+)$/;

/** Adds a router through Network > Routers (the demo has none). */
export async function addRouter(page: Page): Promise<void> {
  await page.goto("/admin/network/routers/new");
  await page.getByLabel("Name", { exact: true }).fill(`Walk router ${unique()}`);
  const octet = () => 1 + Math.floor(Math.random() * 250);
  await page.getByLabel("IP address").fill(`10.${octet()}.${octet()}.${octet()}`);
  await page.getByLabel("Shared secret").fill("site-walk-shared-secret");
  await page.getByRole("button", { name: "Add router" }).click();
  await expect(page.getByTestId("form-success")).toBeVisible();
}

/** The admin's records: a reseller (with a statement entry), a package and a router. */
export async function adminRecords(page: Page, resellerName = "FastNet Prepaid"): Promise<SiteRecords> {
  const records: SiteRecords = {};
  await page.goto(`/admin/resellers?q=${encodeURIComponent(resellerName)}`);
  const reseller = await page.getByRole("link", { name: resellerName, exact: true }).first().getAttribute("href");
  records.reseller = reseller!.split("/").pop()!;
  records.package = await requiredLinkedId(page, "/admin/packages", new RegExp(`^/admin/packages/${UUID}$`));
  records.entry = await requiredLinkedId(page, `/admin/resellers/${records.reseller}/statement`, /\/entries\/(\d+)\/reverse$/);
  records.router = await firstLinkedId(page, "/admin/network/routers", routerLink);
  if (!records.router) {
    await addRouter(page);
    records.router = await requiredLinkedId(page, "/admin/network/routers", routerLink);
  }
  return records;
}

/**
 * A reseller's records: a customer with an active subscription (so Renew has
 * one), a receipt, and an online payment left open on the sandbox checkout.
 */
export async function resellerRecords(page: Page): Promise<SiteRecords> {
  const records: SiteRecords = {};
  records.customer = await requiredLinkedId(page, "/portal/customers?expiry=active", new RegExp(`^/portal/customers/${UUID}$`));
  records.receipt = await requiredLinkedId(page, "/portal/collections", new RegExp(`^/portal/receipts/${UUID}$`));
  const pay = new PayOnlinePages(page);
  await pay.openFromDashboard();
  await pay.startPayment("1.00");
  records.onlinePayment = new RegExp(`/portal/pay-online/${UUID}/sandbox$`).exec(page.url())?.[1];
  expect(records.onlinePayment, "the sandbox checkout of a new online payment").toBeTruthy();
  return records;
}
