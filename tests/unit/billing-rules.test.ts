import { describe, expect, it } from "vitest";
import { canCharge, chargeRefusal, servicePeriod, type ChargeCheck } from "@/lib/billing/rules";
import { DAY_MS } from "@/lib/dates";

const now = new Date("2026-11-25T10:00:00.000Z");
const at = (days: number) => new Date(now.getTime() + days * DAY_MS);

describe("servicePeriod", () => {
  it("starts now for a customer never activated", () => {
    expect(servicePeriod(null, 30, now)).toEqual({ startsAt: now, expiresAt: at(30) });
  });

  it("starts now when the service has already ended", () => {
    expect(servicePeriod(at(-3), 30, now)).toEqual({ startsAt: now, expiresAt: at(30) });
  });

  it("starts now when the service ends exactly now", () => {
    expect(servicePeriod(now, 7, now)).toEqual({ startsAt: now, expiresAt: at(7) });
  });

  it("starts at the current expiry while the service runs, so no paid day is lost", () => {
    expect(servicePeriod(at(5), 30, now)).toEqual({ startsAt: at(5), expiresAt: at(35) });
  });

  it("adds whole days of validity in UTC milliseconds", () => {
    const { startsAt, expiresAt } = servicePeriod(null, 365, now);
    expect(expiresAt.getTime() - startsAt.getTime()).toBe(365 * DAY_MS);
  });

  it("defaults to the current time", () => {
    const before = Date.now();
    const { startsAt } = servicePeriod(null, 1);
    expect(startsAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(startsAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

describe("chargeRefusal", () => {
  const reseller = { status: "active", type: "prepaid", balance: 1_000n, collectionLimit: 0n } as const;
  const base: ChargeCheck = {
    kind: "activation",
    customer: { status: "active", expiresAt: null },
    priced: { rate: 1_000n, pkg: { active: true } },
    reseller,
    now,
  };
  const code = (check: Partial<ChargeCheck>) => chargeRefusal({ ...base, ...check })?.code ?? null;

  it("allows a charge the rules allow", () => {
    expect(code({})).toBeNull();
    expect(code({ kind: "renewal", customer: { status: "active", expiresAt: at(3) } })).toBeNull();
  });

  it("refuses a suspended customer first, whatever else is wrong", () => {
    expect(code({ customer: { status: "suspended", expiresAt: at(3) }, priced: undefined, reseller: { ...reseller, status: "suspended" } })).toBe("CUSTOMER_SUSPENDED");
  });

  it("refuses to activate running service (ALREADY_ACTIVE) but lets it be renewed", () => {
    expect(code({ customer: { status: "active", expiresAt: at(1) } })).toBe("ALREADY_ACTIVE");
    expect(code({ customer: { status: "active", expiresAt: at(-1) } })).toBeNull();
    expect(code({ kind: "renewal", customer: { status: "active", expiresAt: at(1) } })).toBeNull();
  });

  it("refuses a package out of scope, then one no longer sold, before the reseller's position", () => {
    const broke = { ...reseller, balance: 0n };
    expect(code({ priced: undefined, reseller: broke })).toBe("PACKAGE_NOT_IN_SCOPE");
    expect(code({ priced: { rate: 1_000n, pkg: { active: false } }, reseller: broke })).toBe("PACKAGE_INACTIVE");
  });

  it("applies the reseller's charge rule last (suspended, prepaid balance, postpaid limit), as canCharge does", () => {
    expect(code({ reseller: { ...reseller, status: "suspended" } })).toBe("RESELLER_SUSPENDED");
    expect(code({ priced: { rate: 1_001n, pkg: { active: true } } })).toBe("INSUFFICIENT_BALANCE");
    const postpaid = { status: "active", type: "postpaid", balance: -4_000n, collectionLimit: 5_000n } as const;
    expect(code({ reseller: postpaid })).toBeNull();
    expect(code({ reseller: postpaid, priced: { rate: 1_001n, pkg: { active: true } } })).toBe("COLLECTION_LIMIT_REACHED");
    expect(canCharge(postpaid, 1_000n)).toBe(true);
    expect(canCharge(postpaid, 1_001n)).toBe(false);
  });
});
