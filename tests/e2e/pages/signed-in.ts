import { expect, type Browser, type BrowserContext, type BrowserContextOptions } from "@playwright/test";
import { demo, LoginPage } from "./login-page";

export type Who = keyof typeof demo;

/**
 * Signs each demo login in once per test file and hands out contexts that
 * start signed in (the saved cookies), so a sweep over many pages and sizes
 * does not sign in again for each.
 */
export class SignedIn {
  private states = new Map<Who, Awaited<ReturnType<BrowserContext["storageState"]>>>();

  constructor(private readonly browser: Browser) {}

  async context(who: Who, options: BrowserContextOptions = {}): Promise<BrowserContext> {
    let state = this.states.get(who);
    if (!state) {
      const context = await this.browser.newContext();
      const page = await context.newPage();
      await new LoginPage(page).signIn(demo[who]);
      // Password hashing is slow on purpose; a busy machine makes it slower still.
      await expect(page).toHaveURL(who === "admin" ? /\/admin$/ : /\/portal$/, { timeout: 30_000 });
      state = await context.storageState();
      await context.close();
      this.states.set(who, state);
    }
    const context = await this.browser.newContext({ ...options, storageState: state });
    return context;
  }
}

/** The page is no wider than the window: nothing makes the whole page scroll sideways. */
export async function sidewaysOverflow(page: import("@playwright/test").Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

export async function expectNoSidewaysScroll(page: import("@playwright/test").Page, where: string) {
  expect(await sidewaysOverflow(page), `${where} scrolls sideways at ${page.viewportSize()?.width} px`).toBeLessThanOrEqual(0);
}
