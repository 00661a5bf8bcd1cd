"use client";

import { createContext, useContext, type ReactNode } from "react";
import { formatInstant, type DateFormat } from "@/lib/dates";

const TimeZoneContext = createContext("UTC");

/** Gives every date below it the install's time zone (read on the server, so server and browser render alike). */
export function TimeZoneProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  return <TimeZoneContext.Provider value={timeZone}>{children}</TimeZoneContext.Provider>;
}

/** An instant shown in the install's time zone, e.g. "25 Nov 2026, 07:58". */
export function DateText({ value, format = "date", empty = "—" }: { value: Date | null | undefined; format?: DateFormat; empty?: string }) {
  const timeZone = useContext(TimeZoneContext);
  if (!value) return <>{empty}</>;
  return <time dateTime={value.toISOString()}>{formatInstant(value, format, timeZone)}</time>;
}
