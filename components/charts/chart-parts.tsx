"use client";

import type { TooltipContentProps } from "recharts";

/**
 * One point (a day, a reseller, an age bucket) as the charts draw it: its
 * axis label, a number per series (money in major units, for drawing only)
 * and, beside each, the text the tooltip shows (`<key>Text`), formatted on
 * the server exactly as the table below the chart has it.
 */
export type ChartRow = { label: string; tooltipLabel?: string } & Record<string, string | number | undefined>;

export type ChartSeries = { key: string; name: string; color: string; stack?: string };

/** How the value axis reads: money in the install's currency, or plain counts. */
export type ValueFormat = { kind: "money"; currency: string } | { kind: "count" };

const compactMoney = new Map<string, Intl.NumberFormat>();
export function axisFormatter(format: ValueFormat): (value: number) => string {
  if (format.kind === "count") return (value) => (Number.isInteger(value) ? String(value) : "");
  let formatter = compactMoney.get(format.currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat("en-US", { style: "currency", currency: format.currency, notation: "compact", maximumFractionDigits: 1 });
    compactMoney.set(format.currency, formatter);
  }
  return (value) => formatter.format(value);
}

/** The tooltip: the point's label and each series' value as the server formatted it. */
export function ChartTooltip({ active, payload, label }: Partial<TooltipContentProps<number, string>>) {
  if (!active || !payload?.length) return null;
  const row = payload[0]!.payload as ChartRow;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
      <div className="mb-1 font-medium text-slate-900">{row.tooltipLabel ?? label}</div>
      {payload.map((item) => (
        <div key={String(item.dataKey)} className="flex items-center gap-2 text-slate-700">
          <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ background: item.color }} />
          <span>{item.name}</span>
          <span className="ml-auto pl-3 font-medium text-slate-900 tabular-nums">{String(row[`${String(item.dataKey)}Text`] ?? item.value)}</span>
        </div>
      ))}
    </div>
  );
}

/** The series' names and colours, drawn as plain HTML under the chart (wraps on a phone instead of overflowing). */
export function ChartLegend({ series }: { series: readonly { name: string; color: string; dashed?: boolean }[] }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-hidden>
      {series.map((s) => (
        <li key={s.name} className="flex items-center gap-1.5">
          <span
            className="inline-block h-2.5 w-3 rounded-sm"
            style={s.dashed ? { borderTop: `2px dashed ${s.color}`, height: 0 } : { background: s.color }}
          />
          {s.name}
        </li>
      ))}
    </ul>
  );
}
