"use client";

import { Area, AreaChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { axisFormatter, ChartLegend, ChartTooltip, type ChartRow, type ChartSeries, type ValueFormat } from "./chart-parts";
import { chartColors } from "./palette";

/** A level worth seeing against the line (a collection limit, the cheapest rate). */
export type ChartMark = { name: string; value: number; color: string };

/**
 * One value per day as a stepped area (an end-of-day balance holds until the
 * next entry), with optional dashed marks such as the collection limit.
 * Sized by its container; the figure around it carries the accessible name
 * and the table.
 */
export function LineChart({ rows, series, format, marks = [], height = 240 }: { rows: ChartRow[]; series: ChartSeries; format: ValueFormat; marks?: ChartMark[]; height?: number }) {
  const values = axisFormatter(format);
  return (
    <div>
      <AreaChart responsive accessibilityLayer={false} data={rows} style={{ width: "100%", height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={chartColors.grid} vertical={false} />
        <XAxis dataKey="label" type="category" interval="preserveStartEnd" minTickGap={12} tickLine={false} axisLine={false} tick={{ fill: chartColors.axis, fontSize: 11 }} />
        <YAxis type="number" width={52} tickFormatter={values} tickLine={false} axisLine={false} tick={{ fill: chartColors.axis, fontSize: 11 }} domain={[(min: number) => Math.min(0, min), "auto"]} />
        <Tooltip content={<ChartTooltip />} isAnimationActive={false} />
        {marks.map((m) => (
          <ReferenceLine key={m.name} y={m.value} stroke={m.color} strokeDasharray="5 4" strokeWidth={1.5} ifOverflow="extendDomain" />
        ))}
        <Area type="stepAfter" dataKey={series.key} name={series.name} stroke={series.color} strokeWidth={2} fill={series.color} fillOpacity={0.12} isAnimationActive={false} dot={false} activeDot={{ r: 3 }} />
      </AreaChart>
      <ChartLegend series={[{ name: series.name, color: series.color }, ...marks.map((m) => ({ name: m.name, color: m.color, dashed: true }))]} />
    </div>
  );
}
