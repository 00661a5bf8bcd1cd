import { createSerializer } from "nuqs/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { auditListParams, collectionListParams, customerDirectoryParams, packageListParams, settlementListParams, statementParams, urlLists } from "@/lib/url-state/lists";
import { urlSearchSchema } from "@/lib/url-state/schema";

const settlements = urlSearchSchema(settlementListParams);
const statement = urlSearchSchema(statementParams);

describe("a list's URL parsed on the server with the client's parsers", () => {
  it("fills defaults and leaves absent filters out", () => {
    expect(settlements.parse({})).toEqual({ page: 1, perPage: 25, sort: { column: "createdAt", direction: "desc" } });
    expect(statement.parse({})).toEqual({ direction: "first", perPage: 50 });
  });

  it("reads good values", () => {
    expect(
      settlements.parse({ page: "3", perPage: "100", sort: "amount.asc", q: "  bank-77 ", kind: "cash_received", method: "mobile_money", from: "2026-03-02", to: "2026-03-31" }),
    ).toEqual({ page: 3, perPage: 100, sort: { column: "amount", direction: "asc" }, q: "bank-77", kind: "cash_received", method: "mobile_money", from: "2026-03-02", to: "2026-03-31" });
    expect(urlSearchSchema(customerDirectoryParams).parse({ reseller: "00000000-0000-4000-8000-000000000000", status: "suspended", expiry: "expiring" })).toMatchObject({
      reseller: "00000000-0000-4000-8000-000000000000",
      status: "suspended",
      expiry: "expiring",
    });
  });

  it("falls back to defaults for bad values and never throws", () => {
    const bad = { page: "0", perPage: "7", sort: "password.asc", q: " ", kind: "charge", method: "gold", from: "2026-13-45", to: "yesterday" };
    expect(settlements.parse(bad)).toEqual(settlements.parse({}));
    expect(settlements.parse({ page: "1.5", sort: "amount.sideways" })).toEqual(settlements.parse({}));
    expect(settlements.parse({ page: "2000000", q: "x".repeat(121) })).toEqual(settlements.parse({}));
    expect(urlSearchSchema(packageListParams).parse({ active: "maybe", sort: "name.desc.extra" })).toEqual({ page: 1, perPage: 25, sort: { column: "name", direction: "asc" } });
    expect(urlSearchSchema(auditListParams).parse({ action: "DROP TABLE", reseller: "not-an-id" })).toEqual({ page: 1, perPage: 25 });
    for (const input of [null, undefined, "page=2", 42, ["page"], { page: { nested: true } }]) expect(() => settlements.parse(input)).not.toThrow();
  });

  it("takes the first of repeated keys, numbers as a URL would write them", () => {
    expect(settlements.parse({ page: ["2", "9"], perPage: 50 })).toMatchObject({ page: 2, perPage: 50 });
  });

  it("statement kinds: comma-separated or repeated, sorted, one unknown voids the filter", () => {
    expect(statement.parse({ kinds: "renewal,activation,renewal" }).kinds).toEqual(["activation", "renewal"]);
    expect(statement.parse({ kinds: ["renewal", "activation"] }).kinds).toEqual(["activation", "renewal"]);
    expect(statement.parse({ kinds: ["renewal", "nonsense"] }).kinds).toBeUndefined();
    expect(statement.parse({ kinds: "" }).kinds).toBeUndefined();
    expect(statement.parse({ cursor: "41", direction: "next" })).toMatchObject({ cursor: 41, direction: "next" });
    expect(statement.parse({ cursor: "-1", direction: "sideways" })).toEqual({ direction: "first", perPage: 50 });
  });

  it("server-only parameters ride along (the collections' time zone)", () => {
    const collections = urlSearchSchema(collectionListParams, { timeZone: z.string().optional().catch(undefined).transform((v) => v ?? "UTC") });
    expect(collections.parse({ timeZone: "Asia/Dhaka", method: "cash" })).toMatchObject({ timeZone: "Asia/Dhaka", method: "cash" });
    expect(collections.parse({}).timeZone).toBe("UTC");
  });
});

describe("the browser writes what the server reads", () => {
  it("round-trips every list's parameters through its serializer", () => {
    const serialize = createSerializer(settlementListParams);
    const state = { page: 4, perPage: 50 as const, sort: { column: "reseller" as const, direction: "asc" as const }, q: "karim", kind: "online_payment" as const, method: "card" as const, from: "2026-01-01", to: "2026-01-31" };
    const url = serialize(state);
    expect(url).toContain("sort=reseller.asc");
    expect(settlements.parse(Object.fromEntries(new URLSearchParams(url)))).toEqual(state);
  });

  it("defaults stay out of the URL", () => {
    expect(createSerializer(settlementListParams)({ page: 1, perPage: 25, sort: { column: "createdAt", direction: "desc" } })).toBe("");
    expect(createSerializer(statementParams)({ kinds: ["renewal", "activation"], direction: "first" })).toBe("?kinds=activation,renewal");
  });

  it("every list says which keys hold its position", () => {
    for (const [id, list] of Object.entries(urlLists)) for (const key of list.position) expect(Object.keys(list.params), id).toContain(key);
  });
});
