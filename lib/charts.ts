import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { calendarDayIn, dayStartIn } from "./dates";
import { toDecimalString } from "./money";

/** How many days the dashboards' charts cover, today included. */
export const CHART_DAYS = 30;

/** The last `days` calendar days in a time zone, today included: their names and the instant the first one starts. */
export type DayWindow = { days: number; first: string; last: string; start: Date };

export function lastDays(now: Date, timeZone: string, days: number = CHART_DAYS): DayWindow {
  const last = calendarDayIn(now, timeZone);
  const start = dayStartIn(last, timeZone, -(days - 1));
  return { days, first: calendarDayIn(start, timeZone), last, start };
}

/** Every day of the window as rows of `alias`(day date), so days without activity still show as zero. */
export function daySeries(window: DayWindow, alias = "d"): SQL {
  return sql`(select g::date as day from generate_series(${window.first}::date, ${window.last}::date, interval '1 day') g) as ${sql.raw(alias)}`;
}

/** The calendar day (date) of a timestamptz column in a time zone, for grouping. */
export function dayOf(column: SQL | string, timeZone: string): SQL {
  return sql`(${typeof column === "string" ? sql.raw(column) : column} at time zone ${timeZone})::date`;
}

const dayLabels = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
/** "2026-11-03" as people read it on an axis: "3 Nov". */
export function dayLabel(day: string): string {
  return dayLabels.format(new Date(`${day}T00:00:00Z`));
}

/** An amount in major units as a plain number, for drawing only (never for arithmetic on money). */
export function chartAmount(minor: bigint, currency: string): number {
  return Number(toDecimalString(minor, currency));
}

/** The first item with the largest `value`, or undefined when every value is zero or there are none. */
export function peak<T>(items: readonly T[], value: (item: T) => bigint | number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (value(item) > 0 && (best === undefined || value(item) > value(best))) best = item;
  return best;
}
