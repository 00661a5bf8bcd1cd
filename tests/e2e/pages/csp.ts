import { expect, type Page, type Response } from "@playwright/test";

/** "a b; c d" → { a: ["b"], c: ["d"] } */
export function policyDirectives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
}

/**
 * Collects everything the browser says about the Content-Security-Policy on
 * this page: `securitypolicyviolation` events (reported from inside the page
 * as they happen), "Refused to …" console messages, and uncaught page errors
 * (a blocked script usually shows up as one).
 */
export async function watchCsp(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeBinding("__reportCspViolation", ({ frame }, text: string) => {
    problems.push(`${frame.url()}: securitypolicyviolation ${text}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      void report(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  page.on("console", (message) => {
    if (/content security policy|refused to (load|execute|apply|run|connect|frame|send form)/i.test(message.text())) {
      problems.push(`${page.url()}: console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: page error: ${error.message}`));
  return problems;
}

/** The nonce of a page response's policy, after checking the policy's fixed directives. */
export function expectPagePolicy(response: Response): string {
  const headers = response.headers();
  const policy = headers["content-security-policy"];
  expect(policy, `${response.url()} has a Content-Security-Policy`).toBeTruthy();
  const d = policyDirectives(policy!);
  const nonce = /^'nonce-([A-Za-z0-9+/]{22}==)'$/.exec(d["script-src"]?.find((v) => v.startsWith("'nonce-")) ?? "")?.[1];
  expect(nonce, `${response.url()}: script-src carries a nonce (${policy})`).toBeTruthy();
  expect(d["script-src"]).toContain("'strict-dynamic'");
  expect(d["script-src"]).not.toContain("'unsafe-inline'");
  expect(d["script-src"]).not.toContain("'unsafe-eval'");
  expect(d["default-src"]).toEqual(["'self'"]);
  expect(d["frame-ancestors"]).toEqual(["'none'"]);
  expect(d["form-action"]).toEqual(["'self'"]);
  expect(d["object-src"]).toEqual(["'none'"]);
  expect(d["base-uri"]).toEqual(["'self'"]);
  expect(d["connect-src"]).toEqual(["'self'"]);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  // Plain http on localhost: never HSTS (it would pin every localhost port to https in this browser).
  expect(headers["strict-transport-security"]).toBeUndefined();
  return nonce!;
}

/**
 * Opens `url`, expects `status` with the page policy, and waits until Next.js
 * has started in the browser (its scripts ran under the policy) and the
 * page's scripts carry this response's nonce.
 */
export async function openUnderPolicy(page: Page, url: string, status = 200): Promise<string> {
  const response = await page.goto(url);
  expect(response, url).not.toBeNull();
  expect(response!.status(), `${url} answers ${status}`).toBe(status);
  expect(new URL(page.url()).pathname, `${url} is not redirected`).toBe(new URL(url, page.url()).pathname);
  const nonce = expectPagePolicy(response!);
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));
  const nonces = await page.evaluate(() => [...document.querySelectorAll("script")].filter((s) => !s.src).map((s) => s.nonce));
  expect(nonces.length, `${url} has inline scripts`).toBeGreaterThan(0);
  expect(new Set(nonces), `${url}: every inline script carries the nonce`).toEqual(new Set([nonce]));
  await page.waitForLoadState("networkidle");
  return nonce;
}
