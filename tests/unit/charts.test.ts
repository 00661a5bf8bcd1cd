import { describe, expect, it } from "vitest";
import { chartAmount, dayLabel, lastDays, peak } from "@/lib/charts";

describe("chart helpers", () => {
  it("lastDays: the last 30 calendar days in the zone, today included, starting at the first day's midnight there", () => {
    const now = new Date("2026-11-25T01:30:00Z");
    expect(lastDays(now, "UTC")).toEqual({ days: 30, first: "2026-10-27", last: "2026-11-25", start: new Date("2026-10-27T00:00:00Z") });
    // 07:30 on 25 November in Dhaka (UTC+6).
    expect(lastDays(now, "Asia/Dhaka")).toEqual({ days: 30, first: "2026-10-27", last: "2026-11-25", start: new Date("2026-10-26T18:00:00Z") });
    // 20:30 on 24 November in New York; the window starts before the end of summer time (1 November).
    expect(lastDays(now, "America/New_York")).toEqual({ days: 30, first: "2026-10-26", last: "2026-11-24", start: new Date("2026-10-26T04:00:00Z") });
    expect(lastDays(now, "UTC", 7).first).toBe("2026-11-19");
  });

  it("dayLabel reads a calendar day the way an axis shows it, whatever the runtime's zone", () => {
    expect(dayLabel("2026-11-03")).toBe("3 Nov");
    expect(dayLabel("2027-01-01")).toBe("1 Jan");
  });

  it("chartAmount turns minor units into major units for drawing, by the currency's decimals", () => {
    expect(chartAmount(123_456n, "USD")).toBe(1234.56);
    expect(chartAmount(-500n, "USD")).toBe(-5);
    expect(chartAmount(1_500n, "JPY")).toBe(1500);
    expect(chartAmount(1_234n, "KWD")).toBe(1.234);
  });

  it("peak finds the first largest positive value, or nothing", () => {
    const days = [{ d: "a", v: 0n }, { d: "b", v: 5n }, { d: "c", v: 5n }, { d: "e", v: 2n }];
    expect(peak(days, (x) => x.v)?.d).toBe("b");
    expect(peak([{ v: 0 }], (x) => x.v)).toBeUndefined();
    expect(peak([], () => 1)).toBeUndefined();
  });
});
