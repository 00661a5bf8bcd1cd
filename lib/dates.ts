// Calendar days and date display in a time zone. Safe for the browser too:
// callers pass the zone (the install's, from lib/config on the server).

/** One day in milliseconds (periods of service, "expiring soon"). */
export const DAY_MS = 86_400_000;

const partFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for an IANA time zone name this runtime knows ("Asia/Dhaka", "UTC"). */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(value)) return false;
  try {
    partsFormatter(value);
    return true;
  } catch {
    return false;
  }
}

function wallClock(instant: number, timeZone: string) {
  const parts = Object.fromEntries(partsFormatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant a calendar day ("2026-01-31", plus `addDays`) starts in a time zone. */
export function dayStartIn(day: string, timeZone = "UTC", addDays = 0): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d + addDays);
  if (timeZone === "UTC") return new Date(wall);
  let instant = wall - offsetAt(wall, timeZone);
  const corrected = wall - offsetAt(instant, timeZone); // across a DST change the first guess is an hour off
  if (corrected !== instant) instant = corrected;
  return new Date(instant);
}

/** The calendar day ("2026-01-31") an instant falls on in a time zone. */
export function calendarDayIn(instant: Date, timeZone = "UTC"): string {
  const w = wallClock(instant.getTime(), timeZone);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** When the day and the month that contain `now` start, in a time zone. */
export function todayAndMonthStart(now: Date, timeZone = "UTC"): { today: Date; month: Date } {
  const day = calendarDayIn(now, timeZone);
  return { today: dayStartIn(day, timeZone), month: dayStartIn(`${day.slice(0, 8)}01`, timeZone) };
}

const displayFormatters = new Map<string, Intl.DateTimeFormat>();
export type DateFormat = "date" | "dateTime" | "dateTimeSeconds" | "longDateTime";

const displayOptions: Record<DateFormat, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: "medium" },
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  dateTimeSeconds: { dateStyle: "medium", timeStyle: "medium" },
  longDateTime: { dateStyle: "long", timeStyle: "short" },
};

function display(kind: DateFormat, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let formatter = displayFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", { ...displayOptions[kind], timeZone, hourCycle: "h23" });
    displayFormatters.set(key, formatter);
  }
  return formatter;
}

/** An instant as people read it, in the zone ("25 Nov 2026", "25 Nov 2026, 07:58", …). */
export const formatInstant = (instant: Date, format: DateFormat, timeZone = "UTC") => display(format, timeZone).format(instant);
/** "25 Nov 2026" in the zone. */
export const formatDate = (instant: Date, timeZone = "UTC") => display("date", timeZone).format(instant);
/** "25 Nov 2026, 07:58" in the zone. */
export const formatDateTime = (instant: Date, timeZone = "UTC") => display("dateTime", timeZone).format(instant);
/** "25 Nov 2026, 07:58:22" in the zone (the audit log). */
export const formatDateTimeSeconds = (instant: Date, timeZone = "UTC") => display("dateTimeSeconds", timeZone).format(instant);
