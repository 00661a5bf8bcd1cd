import { expect, test, type Locator, type Page } from "@playwright/test";
import { cents } from "./pages/admin-pages";
import { PortalCustomerPages } from "./pages/reseller-portal-pages";
import { expectNoSidewaysScroll, SignedIn } from "./pages/signed-in";
import { unique } from "./pages/unique";

/**
 * The reseller's day at the counter on a 360 px phone, from the dashboard:
 * find a customer, activate and renew, collect and show the receipt, pay the
 * admin online — once with taps (counted: docs/UX.md keeps the figures) and
 * once with the keyboard alone.
 */
const phone = { width: 360, height: 780 };

class Thumb {
  taps = 0;
  constructor(private readonly page: Page) {}
  async tap(target: Locator) {
    await expect(target).toBeVisible();
    await target.tap();
    this.taps += 1;
  }
  /** A tap into a field, then typing on the phone's keyboard (the typing is not a tap). */
  async type(target: Locator, text: string) {
    await this.tap(target);
    await target.fill(text);
  }
  async fits(where: string) {
    await expectNoSidewaysScroll(this.page, where);
  }
}

/** Presses Tab until `target` has the focus (it must be reachable in order); returns the presses. */
async function tabTo(page: Page, target: Locator, max = 60): Promise<number> {
  await expect(target).toBeVisible();
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((element) => element === document.activeElement)) {
      // Focus is visible: the focused control draws an outline or a ring.
      const drawn = await target.evaluate((element) => {
        const style = getComputedStyle(element);
        return style.outlineStyle !== "none" || style.boxShadow !== "none";
      });
      expect(drawn, "focus is visible").toBe(true);
      return presses;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

async function balance(page: Page): Promise<number> {
  return cents((await page.getByTestId("header-balance").textContent())!);
}

let signedIn: SignedIn;
test.beforeAll(({ browser }) => {
  signedIn = new SignedIn(browser);
});

test.describe("the reseller's tasks at 360 px", () => {
  test("with taps: find, activate, renew, collect with a receipt, pay online", async () => {
    test.setTimeout(180_000);
    const context = await signedIn.context("prepaid", { viewport: phone, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const username = `tap${unique()}`;
    await new PortalCustomerPages(page).create(username, `Tap ${username}`);
    const thumb = new Thumb(page);
    const counts: Record<string, number> = {};
    const count = (task: string, since: number) => (counts[task] = thumb.taps - since);

    await page.goto("/portal");
    const start = await balance(page);
    await thumb.fits("dashboard");

    let since = thumb.taps;
    await thumb.type(page.getByRole("searchbox", { name: "Find a customer" }), username);
    await thumb.tap(page.getByRole("button", { name: "Find" }));
    await thumb.tap(page.getByRole("link", { name: username, exact: true }));
    await expect(page.getByRole("heading", { name: `Tap ${username}`, level: 1 })).toBeVisible();
    count("find", since);
    await thumb.fits("customer");

    since = thumb.taps;
    await thumb.tap(page.getByRole("link", { name: "Activate", exact: true }));
    await thumb.tap(page.getByRole("radio", { name: /^Home 10/ }));
    await thumb.fits("activate");
    await thumb.tap(page.getByRole("button", { name: "Confirm activation" }));
    await expect(page.getByTestId("charge-success")).toContainText("Charged $12.00");
    count("activate", since);
    await expect.poll(() => balance(page)).toBe(start - 1200);

    since = thumb.taps;
    await thumb.tap(page.getByRole("link", { name: "Back to the customer" }));
    await thumb.tap(page.getByRole("link", { name: "Renew", exact: true }));
    await expect(page.getByRole("radio", { name: /^Home 10/ })).toBeChecked(); // the current package comes chosen
    await thumb.fits("renew");
    await thumb.tap(page.getByRole("button", { name: "Confirm renewal" }));
    await expect(page.getByTestId("charge-success")).toContainText("Charged $12.00");
    count("renew", since);
    await expect.poll(() => balance(page)).toBe(start - 2400);

    since = thumb.taps;
    await thumb.tap(page.getByRole("link", { name: "Back to the customer" }));
    await thumb.tap(page.getByRole("link", { name: "Collect payment" }));
    await thumb.fits("collect");
    await thumb.type(page.getByLabel(/^Amount/), "15.00");
    await thumb.tap(page.getByRole("button", { name: "Record payment" }));
    await expect(page.getByTestId("form-announcement")).toHaveText(/Recorded \$15\.00/);
    await thumb.tap(page.getByRole("link", { name: "Open receipt" }));
    await expect(page.getByTestId("receipt-amount")).toHaveText("$15.00");
    count("collect", since);
    await thumb.fits("receipt");
    await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Share link" })).toBeVisible();
    // Printed, the receipt is all there is: no header, menu or buttons.
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("article", { name: "Receipt" })).toBeVisible();
    await expect(page.getByRole("banner")).toBeHidden();
    await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
    await page.emulateMedia({ media: "screen" });

    since = thumb.taps;
    await thumb.tap(page.locator("summary", { hasText: "Menu" }));
    await thumb.tap(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pay online" }));
    await thumb.fits("pay online");
    await expect(page.getByLabel(/^Amount/)).toHaveValue("100.00"); // a round top-up comes filled in
    await thumb.tap(page.getByRole("button", { name: "Continue to payment" }));
    await expect(page.getByTestId("sandbox-banner")).toBeVisible();
    await thumb.fits("checkout");
    await thumb.tap(page.getByRole("button", { name: "Pay", exact: true }));
    await expect(page.getByTestId("online-payment-status")).toHaveText("Paid");
    count("pay online", since);
    await expect.poll(async () => (await page.reload(), balance(page))).toBe(start - 2400 + 10000);

    // The figures docs/UX.md gives; a change to the flows that adds a tap shows here.
    expect(counts).toEqual({ find: 3, activate: 3, renew: 3, collect: 5, "pay online": 4 });
    await context.close();
  });

  test("with the keyboard alone: the same tasks, every control reachable by Tab with a visible focus", async () => {
    test.setTimeout(180_000);
    const context = await signedIn.context("prepaid", { viewport: phone });
    const page = await context.newPage();
    const username = `key${unique()}`;
    await new PortalCustomerPages(page).create(username, `Key ${username}`);
    await page.goto("/portal");
    const start = await balance(page);
    const tabs: Record<string, number> = {};

    tabs.find = await tabTo(page, page.getByRole("searchbox", { name: "Find a customer" }));
    await page.keyboard.type(username);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/portal\/customers\?q=/);
    tabs.find += await tabTo(page, page.getByRole("link", { name: username, exact: true }));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: `Key ${username}`, level: 1 })).toBeVisible();

    tabs.activate = await tabTo(page, page.getByRole("link", { name: "Activate", exact: true }));
    await page.keyboard.press("Enter");
    const first = page.getByRole("radio").first();
    tabs.activate += await tabTo(page, first);
    await page.keyboard.press("ArrowDown"); // the next package
    await expect(page.getByRole("radio").nth(1)).toBeChecked();
    tabs.activate += await tabTo(page, page.getByRole("button", { name: "Confirm activation" }));
    await page.keyboard.press("Enter");
    const success = page.getByTestId("charge-success");
    await expect(success).toBeVisible();
    const charged = cents((await success.textContent())!.match(/Charged (\$[\d,.]+)/)![1]!);
    await expect.poll(() => balance(page)).toBe(start - charged);

    // The result takes the focus (the button it was on is gone), so Tab goes on from there.
    tabs.renew = await tabTo(page, page.getByRole("link", { name: "Back to the customer" }), 3);
    await page.keyboard.press("Enter");
    tabs.renew += await tabTo(page, page.getByRole("link", { name: "Renew", exact: true }));
    await page.keyboard.press("Enter");
    tabs.renew += await tabTo(page, page.getByRole("button", { name: "Confirm renewal" }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("charge-success")).toBeVisible();
    await expect.poll(() => balance(page)).toBe(start - 2 * charged);

    tabs.collect = await tabTo(page, page.getByRole("link", { name: "Back to the customer" }), 3);
    await page.keyboard.press("Enter");
    tabs.collect += await tabTo(page, page.getByRole("link", { name: "Collect payment" }));
    await page.keyboard.press("Enter");
    tabs.collect += await tabTo(page, page.getByLabel(/^Amount/));
    await page.keyboard.type("7.50");
    tabs.collect += await tabTo(page, page.getByRole("button", { name: "Record payment" }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("form-announcement")).toHaveText(/Recorded \$7\.50/);
    tabs.collect += await tabTo(page, page.getByRole("link", { name: "Open receipt" }), 3);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("receipt-amount")).toHaveText("$7.50");
    await tabTo(page, page.getByRole("button", { name: "Print or save as PDF" }));

    tabs["pay online"] = await tabTo(page, page.locator("summary", { hasText: "Menu" }));
    await page.keyboard.press("Enter");
    tabs["pay online"] += await tabTo(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pay online" }));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Pay online", level: 1 })).toBeVisible();
    tabs["pay online"] += await tabTo(page, page.getByRole("button", { name: "Continue to payment" }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("sandbox-banner")).toBeVisible();
    tabs["pay online"] += await tabTo(page, page.getByRole("button", { name: "Pay", exact: true }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("online-payment-status")).toHaveText("Paid");
    await expectNoSidewaysScroll(page, "online payment");
    test.info().annotations.push({ type: "tab presses", description: JSON.stringify(tabs) });
    console.log(`tab presses: ${JSON.stringify(tabs)}`);
    await context.close();
  });
});
