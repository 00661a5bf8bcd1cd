import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createRouter, listRouterPage, routerSearchSchema } from "@/lib/radius/routers";
import { listDisconnects, disconnectSearchSchema } from "@/lib/radius/sessions";
import { adminActor, failureCode, makeArea, makeCustomer, makeReseller } from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";

// Network › Disconnects and Network › Routers as list pages: the database
// filters, searches, sorts and pages; both are the admin's only.

const admin = { role: "admin" } as const;

describe("Network › Disconnects list", () => {
  // 12 requests, oldest first: dc00 … dc11. Every third failed on a timeout, every fourth is still pending (NAK so
  // far), the rest acknowledged; dc00–dc05 went to router "Core North" (10.20.0.1), dc06–dc10 to "Edge South"
  // (10.20.0.2), dc11 to an address no router has (10.20.0.9).
  const usernames = Array.from({ length: 12 }, (_, i) => `dc${String(i).padStart(2, "0")}`);
  let resellerId = "";
  beforeAll(async () => {
    const reseller = await makeReseller(db());
    resellerId = reseller.id;
    const area = await makeArea(db());
    await createRouter(db(), adminActor, { name: "Core North", address: "10.20.0.1", type: "mikrotik", coaPort: 3799, secret: "core-north-secret-1", description: null });
    await createRouter(db(), adminActor, { name: "Edge South", address: "10.20.0.2", type: "cisco", coaPort: 3799, secret: "edge-south-secret-1", description: null });
    for (const [i, username] of usernames.entries()) {
      const customer = await makeCustomer(db(), reseller.id, area.id, { username, name: i === 4 ? "Zelda Quartermaine" : `Disconnect customer ${i}` });
      const status = i % 3 === 0 ? "failed" : i % 4 === 0 ? "pending" : "acked";
      const outcome = status === "failed" ? "timeout" : status === "pending" ? "nak" : "ack";
      const nasIp = i <= 5 ? "10.20.0.1" : i <= 10 ? "10.20.0.2" : "10.20.0.9";
      await ownerDb().db.execute(sql`insert into radius_disconnects
          (kind, reason, customer_id, username, radacct_id, acct_session_id, nas_ip_address, status, attempts, last_outcome, created_at)
        values ('disconnect', 'customer_suspended', ${customer.id}, ${username}, ${i + 1}, ${`s-${username}`}, ${nasIp}::inet, ${status}, 1, ${outcome},
          now() - make_interval(mins => ${60 - i}))`);
    }
  });

  const names = (params: Record<string, string>) => listDisconnects(db(), admin, disconnectSearchSchema.parse(params)).then((p) => p.rows.map((r) => r.username));

  it("pages newest first by default, with the page count from the total", async () => {
    const first = await listDisconnects(db(), admin, disconnectSearchSchema.parse({ perPage: "10" }));
    const second = await listDisconnects(db(), admin, disconnectSearchSchema.parse({ perPage: "10", page: "2" }));
    expect(first.total).toBe(12);
    expect(first.pageCount).toBe(2);
    expect(first.rows.map((r) => r.username)).toEqual([...usernames].reverse().slice(0, 10));
    expect(second.rows.map((r) => r.username)).toEqual(["dc01", "dc00"]);
    expect((await listDisconnects(db(), admin, disconnectSearchSchema.parse({ perPage: "10", page: "5" }))).rows).toEqual([]);
    // A row names its customer and router, and how its last attempt went.
    expect(first.rows[0]).toMatchObject({ username: "dc11", customerName: "Disconnect customer 11", nasIpAddress: "10.20.0.9", nasName: null, status: "acked", lastOutcome: "ack" });
    expect(first.rows.find((r) => r.username === "dc06")).toMatchObject({ nasName: "Edge South", nasIpAddress: "10.20.0.2" });
  });

  it("filters by status and by the last attempt's outcome, together", async () => {
    expect(await names({ status: "failed", sort: "createdAt.asc" })).toEqual(["dc00", "dc03", "dc06", "dc09"]);
    expect(await names({ status: "pending", sort: "createdAt.asc" })).toEqual(["dc04", "dc08"]);
    expect(await names({ outcome: "nak", sort: "createdAt.asc" })).toEqual(["dc04", "dc08"]);
    expect(await names({ status: "acked", outcome: "timeout" })).toEqual([]);
    const counted = await listDisconnects(db(), admin, disconnectSearchSchema.parse({ status: "acked", perPage: "10" }));
    expect(counted.total).toBe(6);
    // A value the list does not know is no filter at all (never an error, never a guess).
    expect((await listDisconnects(db(), admin, disconnectSearchSchema.parse({ status: "'; drop table radius_disconnects; --" }))).total).toBe(12);
  });

  it("searches the customer's username and name, and the router's name and address", async () => {
    expect(await names({ q: "dc07" })).toEqual(["dc07"]);
    expect(await names({ q: "QUARTERMAINE" })).toEqual(["dc04"]);
    expect(await names({ q: "edge south", sort: "createdAt.asc" })).toEqual(["dc06", "dc07", "dc08", "dc09", "dc10"]);
    expect(await names({ q: "10.20.0.9" })).toEqual(["dc11"]);
    expect(await names({ q: "north", status: "failed", sort: "createdAt.asc" })).toEqual(["dc00", "dc03"]);
    expect(await names({ q: "%" })).toEqual([]); // a LIKE wildcard is a literal character
  });

  it("sorts by username and by router both ways, in the database", async () => {
    expect(await names({ sort: "username.asc", perPage: "25" })).toEqual(usernames);
    expect(await names({ sort: "username.desc", perPage: "25" })).toEqual([...usernames].reverse());
    // By router name (an address with no router sorts by its address): "10.20.0.9" < "Core North" < "Edge South".
    const byRouter = await listDisconnects(db(), admin, disconnectSearchSchema.parse({ sort: "router.asc", perPage: "25" }));
    expect(byRouter.rows.map((r) => r.nasName ?? r.nasIpAddress)).toEqual(["10.20.0.9", ...Array(6).fill("Core North"), ...Array(5).fill("Edge South")]);
    const byStatus = await names({ sort: "status.asc", perPage: "25" });
    expect(byStatus.slice(0, 6).sort()).toEqual(["dc01", "dc02", "dc05", "dc07", "dc10", "dc11"]); // acked first
  });

  it("is the admin's only: a reseller's scope is refused, not narrowed", async () => {
    expect(await failureCode(listDisconnects(db(), { role: "reseller", resellerId }, disconnectSearchSchema.parse({})))).toBe("FORBIDDEN");
  });
});

describe("Network › Routers list", () => {
  beforeAll(async () => {
    // 12 routers: "Tower 00" … "Tower 11" at 10.30.0.1 … 10.30.0.12, every third a Cisco, CoA ports 4000 + i.
    for (let i = 0; i < 12; i++) {
      await createRouter(db(), adminActor, {
        name: `Tower ${String(i).padStart(2, "0")}`,
        address: `10.30.0.${i + 1}`,
        type: i % 3 === 0 ? "cisco" : "mikrotik",
        coaPort: 4000 + i,
        secret: `tower-secret-${i}-long-enough`,
        description: i === 7 ? "Rooftop by the mill" : null,
      });
    }
  });

  const list = (params: Record<string, string>) => listRouterPage(db(), admin, routerSearchSchema.parse({ q: "tower", ...params }));

  it("pages by name, with the page count from the total; the secret is never listed", async () => {
    const first = await list({ perPage: "10" });
    const second = await list({ perPage: "10", page: "2" });
    expect(first.total).toBe(12);
    expect(first.pageCount).toBe(2);
    expect(first.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Tower ${String(i).padStart(2, "0")}`));
    expect(second.rows.map((r) => r.name)).toEqual(["Tower 10", "Tower 11"]);
    expect(first.rows[7]).toEqual({ id: expect.any(Number), name: "Tower 07", address: "10.30.0.8", type: "mikrotik", coaPort: 4007, description: "Rooftop by the mill" });
    expect(JSON.stringify([first, second])).not.toContain("tower-secret");
  });

  it("searches name and address, filters by type, sorts by any column both ways", async () => {
    expect((await listRouterPage(db(), admin, routerSearchSchema.parse({ q: "10.30.0.12" }))).rows.map((r) => r.name)).toEqual(["Tower 11"]);
    expect((await listRouterPage(db(), admin, routerSearchSchema.parse({ q: "TOWER 03" }))).rows.map((r) => r.name)).toEqual(["Tower 03"]);
    expect((await list({ type: "cisco" })).rows.map((r) => r.name)).toEqual(["Tower 00", "Tower 03", "Tower 06", "Tower 09"]);
    expect((await list({ sort: "name.desc", perPage: "10" })).rows[0]!.name).toBe("Tower 11");
    expect((await list({ sort: "coaPort.desc", perPage: "10" })).rows.map((r) => r.coaPort).slice(0, 3)).toEqual([4011, 4010, 4009]);
    const byType = (await list({ sort: "type.asc", perPage: "25" })).rows.map((r) => r.type);
    expect(byType).toEqual([...Array(4).fill("cisco"), ...Array(8).fill("mikrotik")]);
    expect((await list({ q: "no such router" })).rows).toEqual([]);
  });

  it("is the admin's only", async () => {
    const reseller = await makeReseller(db());
    expect(await failureCode(listRouterPage(db(), { role: "reseller", resellerId: reseller.id }, routerSearchSchema.parse({})))).toBe("FORBIDDEN");
  });
});
