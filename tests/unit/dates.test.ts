import { describe, expect, it } from "vitest";
import { calendarDayIn, dayStartIn, formatDate, formatDateTime, formatDateTimeSeconds, isTimeZone, todayAndMonthStart } from "@/lib/dates";

describe("dayStartIn", () => {
  it("finds local midnight in fixed, half-hour and DST zones", () => {
    expect(dayStartIn("2026-01-15").toISOString()).toBe("2026-01-15T00:00:00.000Z");
    expect(dayStartIn("2026-01-15", "UTC", 1).toISOString()).toBe("2026-01-16T00:00:00.000Z");
    expect(dayStartIn("2026-01-15", "Asia/Dhaka").toISOString()).toBe("2026-01-14T18:00:00.000Z");
    expect(dayStartIn("2026-01-15", "Asia/Kolkata").toISOString()).toBe("2026-01-14T18:30:00.000Z");
    expect(dayStartIn("2026-01-15", "America/New_York").toISOString()).toBe("2026-01-15T05:00:00.000Z");
    expect(dayStartIn("2026-07-15", "America/New_York").toISOString()).toBe("2026-07-15T04:00:00.000Z");
    // The day after the spring-forward change starts at -04:00.
    expect(dayStartIn("2026-03-08", "America/New_York", 1).toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(dayStartIn("2026-12-31", "Pacific/Kiritimati").toISOString()).toBe("2026-12-30T10:00:00.000Z");
  });
});

describe("calendarDayIn and todayAndMonthStart", () => {
  it("puts an instant on the local calendar day", () => {
    const lateUtcEvening = new Date("2026-11-30T20:00:00Z");
    expect(calendarDayIn(lateUtcEvening)).toBe("2026-11-30");
    expect(calendarDayIn(lateUtcEvening, "Asia/Dhaka")).toBe("2026-12-01"); // 02:00 the next morning in Dhaka
    expect(calendarDayIn(new Date("2026-01-01T03:00:00Z"), "America/New_York")).toBe("2025-12-31");
  });

  it("starts today and this month at local midnight", () => {
    const { today, month } = todayAndMonthStart(new Date("2026-11-30T20:00:00Z"), "Asia/Dhaka");
    expect(today.toISOString()).toBe("2026-11-30T18:00:00.000Z");
    expect(month.toISOString()).toBe("2026-11-30T18:00:00.000Z"); // 1 December in Dhaka
    const utc = todayAndMonthStart(new Date("2026-11-30T20:00:00Z"));
    expect(utc.today.toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(utc.month.toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });
});

describe("date display", () => {
  const instant = new Date("2026-11-30T20:05:09Z");
  it("formats in the given zone", () => {
    expect(formatDate(instant)).toBe("30 Nov 2026");
    expect(formatDate(instant, "Asia/Dhaka")).toBe("1 Dec 2026");
    expect(formatDateTime(instant)).toBe("30 Nov 2026, 20:05");
    expect(formatDateTime(instant, "Asia/Dhaka")).toBe("1 Dec 2026, 02:05");
    expect(formatDateTimeSeconds(instant, "Asia/Dhaka")).toBe("1 Dec 2026, 02:05:09");
  });

  it("knows real zone names only", () => {
    expect(isTimeZone("Asia/Dhaka")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("'; drop table x; --")).toBe(false);
  });
});
