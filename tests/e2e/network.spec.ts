import { expect, test } from "@playwright/test";
import { demo, LoginPage } from "./pages/login-page";
import { DisconnectsPage, e2eDatabase, RoutersPage, searchList, StandInRouter } from "./pages/network-pages";
import { PortalCustomerPages } from "./pages/reseller-portal-pages";
import { unique } from "./pages/unique";

test.describe("network access follows the money", () => {
  test("the admin sets a package's speeds and adds a router; a reseller activates a customer, sees its service login, suspends it and sees the disconnect acknowledged", async ({ browser }) => {
    test.setTimeout(300_000);
    const secret = `e2e-router-secret-${unique()}`;
    const router = new StandInRouter(secret);
    await router.start();
    const db = e2eDatabase();
    try {
      const admin = await browser.newPage();
      // (Signing in hashes a password; on a busy machine the first one can take longer than the default wait.)
      await new LoginPage(admin).signIn(demo.admin);
      await expect(admin).toHaveURL(/\/admin$/, { timeout: 30_000 });
      // Home 25's speeds and address pool: what the routers will be told.
      await admin.goto("/admin/packages");
      await admin.getByRole("link", { name: "Home 25", exact: true }).click();
      await admin.getByLabel("Download (Mbps)").fill("25");
      await admin.getByLabel("Upload (Mbps)").fill("12");
      await admin.getByLabel("Address pool (Framed-Pool)").fill("pool-home");
      await admin.getByRole("button", { name: "Save package" }).click();
      await expect(admin.getByTestId("form-success")).toBeVisible();
      const routers = new RoutersPage(admin);
      await routers.add({ name: `Lab ${unique()}`, address: "127.0.0.1", secret, coaPort: router.port });
      await routers.expectListed("Lab", "127.0.0.1");
      // Routers is a list: its search (name or address) and type filter live in the URL, the database filters.
      await routers.search("127.0.0.1");
      await expect(routers.table()).toContainText("Lab");
      await admin.getByLabel("Type").selectOption({ label: "Juniper" });
      await expect(admin).toHaveURL(/[?&]type=juniper(&|$)/);
      await expect(routers.table()).toContainText("No routers match.");
      await admin.goto("/admin/network/routers?q=127.0.0.1&type=mikrotik");
      await expect(routers.table()).toContainText("Lab");
      await expect(admin.getByLabel("Type")).toHaveValue("mikrotik");

      const page = await browser.newPage();
      await new LoginPage(page).signIn(demo.prepaid);
      await expect(page).toHaveURL(/\/portal$/, { timeout: 30_000 });
      const portal = new PortalCustomerPages(page);
      const username = `net${unique()}`;
      const customerUrl = await portal.create(username);
      await portal.charge(customerUrl, "activate", "Home 25");
      await portal.expectCharged();
      await page.goto(customerUrl);
      await expect(page.getByTestId("service-username")).toHaveText(username);
      const password = (await page.getByTestId("service-password").textContent())!.trim();
      expect(password).toMatch(/^[0-9a-z]{12,}$/);
      await expect(page.getByTestId("customer-online")).toHaveText("Offline");

      // What FreeRADIUS would write when the router reports the customer online; the network tables say the same.
      const [rows] = await db`select
          (select value from radius.radcheck where username = ${username} and attribute = 'Cleartext-Password') as password,
          (select value from radius.radgroupreply gr join radius.radusergroup ug on ug.groupname = gr.groupname
            where ug.username = ${username} and gr.attribute = 'Mikrotik-Rate-Limit') as rate`;
      expect(rows).toEqual({ password, rate: "12M/25M" });
      await db`insert into radius.radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, acctstarttime, acctupdatetime, acctinputoctets, acctoutputoctets)
        values (${`e2e-${username}`}, ${`e2e-${username}-u`}, ${username}, '127.0.0.1', '10.9.8.7', now(), now(), 1000, 2000000)`;
      await page.reload();
      await expect(page.getByTestId("customer-online")).toHaveText("Online");
      await admin.goto("/admin/network/online");
      await expect(admin.getByTestId("online-table")).toContainText(username);

      // The reseller's own Online now lists it, found by its address through the list's search (in the URL).
      await page.goto("/portal/online");
      await searchList(page, "10.9.8.7");
      await expect(page.getByRole("table", { name: "Open sessions" })).toContainText(username);

      // Another reseller never sees it, whatever the URL names; a visitor is sent to sign in; the admin is no reseller.
      const [owner] = await db`select reseller_id from customers where username = ${username}`;
      const prepaidId = String(owner!.reseller_id);
      const other = await browser.newPage();
      await new LoginPage(other).signIn(demo.postpaid);
      await expect(other).toHaveURL(/\/portal$/, { timeout: 30_000 });
      await other.goto(`/portal/online?reseller=${prepaidId}&q=${username}`);
      await expect(other.getByRole("table", { name: "Open sessions" })).toContainText("Nobody is online for these filters.");
      await other.goto("/portal/online");
      await expect(other.getByRole("heading", { name: "Online now" })).toBeVisible();
      await expect(other.locator("body")).not.toContainText(username);
      await other.close();
      const visitor = await browser.newPage();
      await visitor.goto("/portal/online");
      await expect(visitor).toHaveURL(/\/login/);
      await visitor.close();
      expect((await admin.goto("/portal/online"))?.status()).toBe(403);

      await page.goto(customerUrl);

      await page.getByRole("button", { name: "Suspend customer" }).click();
      await expect(page.getByTestId("form-success")).toContainText("suspended");
      await expect.poll(() => router.received, { timeout: 20_000 }).toEqual([{ code: "Disconnect-Request", userName: username }]);
      await expect(async () => {
        await page.goto(customerUrl);
        await expect(page.getByTestId("disconnect-outcome").first()).toContainText("Done · last: ACK");
      }).toPass({ timeout: 45_000 });

      // The admin's Network > Disconnects finds it by the customer's username, and its filters are in the URL.
      const disconnects = new DisconnectsPage(admin);
      await disconnects.open();
      await disconnects.search(username);
      const row = disconnects.table().getByRole("row").filter({ hasText: username });
      await expect(row).toContainText("Done · last: ACK");
      await expect(row).toContainText("Customer suspended");
      await disconnects.filter("Status", "Failed");
      await expect(admin).toHaveURL(/[?&]status=failed(&|$)/);
      await expect(disconnects.table()).toContainText("No requests match these filters.");
      await disconnects.open(`?q=${username}&status=acked&outcome=ack`);
      await expect(disconnects.table().getByRole("row").filter({ hasText: username })).toHaveCount(1);
      // Sorting by router is the header's button, and lands in the URL.
      await disconnects.table().getByRole("button", { name: "Router" }).click();
      await expect(admin).toHaveURL(/[?&]sort=router\.(asc|desc)(&|$)/);
      // A reseller is no admin: the page is refused.
      expect((await page.goto("/admin/network/disconnects"))?.status()).toBe(403);
    } finally {
      await db.end();
      await router.stop();
    }
  });
});
