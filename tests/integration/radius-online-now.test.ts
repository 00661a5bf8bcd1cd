import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listOpenSessions, OPEN_SESSION_COUNT_CAP, parseOnlineSessionSearch } from "@/lib/radius/sessions";
import { makeArea, makeCustomer, makeReseller } from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";
import { openSession } from "../support/radius";

// Online now as a list page: the reseller's scope is in the query (its own
// customers' sessions only, whatever the URL names), the database filters,
// sorts and pages, and the page count follows the filters.

async function resellerWithOnlineCustomers(count: number, prefix: string) {
  const reseller = await makeReseller(db());
  const area = await makeArea(db());
  const customers = [];
  for (let i = 0; i < count; i++) {
    const customer = await makeCustomer(db(), reseller.id, area.id, { username: `${prefix}${i}`, name: `${prefix} customer ${i}` });
    await openSession(customer.username, "127.0.0.1", `10.${prefix.length}.0.${i + 1}`);
    customers.push(customer);
  }
  return { reseller, customers };
}

describe("Online now list", () => {
  it("a reseller sees only its own customers' open sessions, even when the URL names another reseller", async () => {
    const mine = await resellerWithOnlineCustomers(3, "mine");
    const theirs = await resellerWithOnlineCustomers(2, "theirsx");
    const scope = { role: "reseller", resellerId: mine.reseller.id } as const;
    const page = await listOpenSessions(db(), scope, parseOnlineSessionSearch({ reseller: theirs.reseller.id }));
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.username).sort()).toEqual(["mine0", "mine1", "mine2"]);
    expect(page.rows.every((r) => r.resellerId === mine.reseller.id)).toBe(true);
    // Searching for the other reseller's customer finds nothing.
    expect((await listOpenSessions(db(), scope, parseOnlineSessionSearch({ q: "theirsx0" }))).total).toBe(0);
    // A forged reseller id in the scope itself is refused, not widened.
    await expect(listOpenSessions(db(), { role: "reseller", resellerId: "not-a-uuid" }, parseOnlineSessionSearch({}))).rejects.toThrow();
  });

  it("the admin sees every session, filters by reseller, and sees a session no customer owns", async () => {
    const a = await resellerWithOnlineCustomers(2, "adma");
    await resellerWithOnlineCustomers(1, "admbb");
    await openSession("nobody-knows-me");
    const all = await listOpenSessions(db(), { role: "admin" }, parseOnlineSessionSearch({ perPage: "100" }));
    expect(all.rows.map((r) => r.username)).toEqual(expect.arrayContaining(["adma0", "adma1", "admbb0", "nobody-knows-me"]));
    expect(all.rows.find((r) => r.username === "nobody-knows-me")!.customerId).toBeNull();
    const filtered = await listOpenSessions(db(), { role: "admin" }, parseOnlineSessionSearch({ reseller: a.reseller.id }));
    expect(filtered.rows.map((r) => r.username).sort()).toEqual(["adma0", "adma1"]);
    expect(filtered.rows[0]!.resellerName).toBe(a.reseller.name);
  });

  it("closed sessions are not online; search matches name, username and address", async () => {
    const { reseller, customers } = await resellerWithOnlineCustomers(3, "srch");
    await ownerDb().db.execute(sql`update radius.radacct set acctstoptime = now() where username = ${customers[2]!.username}`);
    const scope = { role: "reseller", resellerId: reseller.id } as const;
    const list = (q?: string) => listOpenSessions(db(), scope, parseOnlineSessionSearch(q ? { q } : {})).then((p) => p.rows.map((r) => r.username).sort());
    expect(await list()).toEqual(["srch0", "srch1"]);
    expect(await list("srch customer 1")).toEqual(["srch1"]);
    expect(await list("SRCH0")).toEqual(["srch0"]);
    expect(await list("10.4.0.2")).toEqual(["srch1"]);
    expect(await list("srch2")).toEqual([]); // its session is closed
    expect(await list("%")).toEqual([]); // a LIKE wildcard is a literal character
  });

  it("pages and sorts in the database: page count, sort by username both ways, newest first by default", async () => {
    const { reseller, customers } = await resellerWithOnlineCustomers(5, "pg");
    // Distinct start times: pg0 oldest … pg4 newest.
    for (const [i, c] of customers.entries()) {
      await ownerDb().db.execute(sql`update radius.radacct set acctstarttime = now() - make_interval(mins => ${60 - i}) where username = ${c.username}`);
    }
    const scope = { role: "reseller", resellerId: reseller.id } as const;
    const get = (params: Record<string, string>) => listOpenSessions(db(), scope, parseOnlineSessionSearch({ perPage: "10", ...params }));
    expect((await get({})).rows.map((r) => r.username)).toEqual(["pg4", "pg3", "pg2", "pg1", "pg0"]);
    expect((await get({ sort: "startedAt.asc" })).rows.map((r) => r.username)).toEqual(["pg0", "pg1", "pg2", "pg3", "pg4"]);
    expect((await get({ sort: "username.desc" })).rows.map((r) => r.username)).toEqual(["pg4", "pg3", "pg2", "pg1", "pg0"]);
    const paged = await listOpenSessions(db(), scope, parseOnlineSessionSearch({ perPage: "10", sort: "username.asc" }));
    expect(paged.pageCount).toBe(1);
    // Two rows a page is not a choice; ten is, so page through with ten rows and 12 sessions.
    for (let i = 5; i < 12; i++) {
      const c = await makeCustomer(db(), reseller.id, customers[0]!.areaId, { username: `pg${String(i).padStart(2, "0")}`, name: `pg ${i}` });
      await openSession(c.username);
    }
    const first = await get({ sort: "username.asc" });
    const second = await get({ sort: "username.asc", page: "2" });
    expect(first.total).toBe(12);
    expect(first.pageCount).toBe(2);
    expect(first.rows).toHaveLength(10);
    expect(second.rows).toHaveLength(2);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.username)).size).toBe(12);
    // A page past the end is empty, not an error.
    expect((await get({ page: "9" })).rows).toEqual([]);
  });
});

describe("Online now at scale", () => {
  it("counts at most OPEN_SESSION_COUNT_CAP sessions past the page and says the total is a floor", async () => {
    const extra = OPEN_SESSION_COUNT_CAP + 30;
    // As FreeRADIUS would write them: open sessions of usernames (no customer needed for the admin's list).
    await ownerDb().db.execute(sql`insert into radius.radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, acctinputoctets, acctoutputoctets)
      select 'cap' || g, 'cap-u' || g, 'capuser' || g, '127.0.0.1'::inet, now() - make_interval(secs => g), now(), 0, 0 from generate_series(1, ${extra}::int) g`);
    const admin = { role: "admin" } as const;
    // (Other tests' sessions share this database: the search keeps to these.)
    const first = await listOpenSessions(db(), admin, parseOnlineSessionSearch({ q: "capuser" }));
    expect(first.totalIsAtLeast).toBe(true);
    expect(first.total).toBe(OPEN_SESSION_COUNT_CAP);
    expect(first.pageCount).toBe(OPEN_SESSION_COUNT_CAP / 25);
    expect(first.rows.map((r) => r.username).slice(0, 2)).toEqual(["capuser1", "capuser2"]);
    // Past the cap the count reaches further: the last page knows the exact total.
    const last = await listOpenSessions(db(), admin, parseOnlineSessionSearch({ q: "capuser", page: String(OPEN_SESSION_COUNT_CAP / 25 + 1) }));
    expect(last.totalIsAtLeast).toBe(false);
    expect(last.total).toBe(extra);
    expect(last.rows.map((r) => r.username)).toEqual(Array.from({ length: 25 }, (_, i) => `capuser${OPEN_SESSION_COUNT_CAP + 1 + i}`));
    // A narrower search is counted exactly.
    const found = await listOpenSessions(db(), admin, parseOnlineSessionSearch({ q: "capuser1000" }));
    expect(found.totalIsAtLeast).toBe(false);
    expect(found.rows.map((r) => r.username).sort()).toEqual(["capuser1000", "capuser10000", "capuser10001", "capuser10002", "capuser10003", "capuser10004", "capuser10005", "capuser10006", "capuser10007", "capuser10008", "capuser10009"]);
    expect(found.total).toBe(11);
  });
});
