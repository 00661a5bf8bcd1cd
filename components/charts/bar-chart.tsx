"use client";

import { Bar, BarChart as Bars, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { axisFormatter, ChartLegend, ChartTooltip, type ChartRow, type ChartSeries, type ValueFormat } from "./chart-parts";
import { chartColors } from "./palette";

/**
 * Bars per point: days along the bottom (`layout="columns"`, grouped or
 * stacked series) or named categories down the side (`layout="rows"`, e.g.
 * resellers), optionally with one colour per point. Sized by its container,
 * so it never widens the page; the figure around it carries the accessible
 * name and the table.
 */
export function BarChart({
  rows,
  series,
  format,
  layout = "columns",
  height = 240,
  colors,
  legend = series.length > 1,
  categoryWidth = 120,
  everyLabel = false,
  categoryTitle,
}: {
  rows: ChartRow[];
  series: ChartSeries[];
  format: ValueFormat;
  layout?: "columns" | "rows";
  height?: number;
  /** One colour per row (single-series charts that colour each bar by what it means). */
  colors?: string[];
  legend?: boolean;
  /** Room for the category names in `rows` layout, in px. */
  categoryWidth?: number;
  /** Label every column (a few named categories) rather than as many days as fit. */
  everyLabel?: boolean;
  /** A caption under the column labels (what they count). */
  categoryTitle?: string;
}) {
  const values = axisFormatter(format);
  const rowsLayout = layout === "rows";
  const category = { dataKey: "label", type: "category" as const, tickLine: false, axisLine: false, tick: { fill: chartColors.axis, fontSize: 11 } };
  const value = { type: "number" as const, tickFormatter: values, tickLine: false, axisLine: false, tick: { fill: chartColors.axis, fontSize: 11 }, allowDecimals: format.kind === "money" };
  return (
    <div>
      <Bars
        responsive
        accessibilityLayer={false}
        data={rows}
        layout={rowsLayout ? "vertical" : "horizontal"}
        style={{ width: "100%", height }}
        margin={{ top: 4, right: 8, bottom: 0, left: 0 }}
        barCategoryGap={rowsLayout ? "20%" : "12%"}
        barGap={1}
      >
        <CartesianGrid stroke={chartColors.grid} vertical={rowsLayout} horizontal={!rowsLayout} />
        {rowsLayout ? (
          <>
            <XAxis {...value} />
            <YAxis {...category} width={categoryWidth} tickFormatter={(name: string) => (name.length > 24 ? `${name.slice(0, 23)}…` : name)} />
          </>
        ) : (
          <>
            <XAxis
              {...category}
              interval={everyLabel ? 0 : "preserveStartEnd"}
              minTickGap={everyLabel ? 0 : 12}
              height={categoryTitle ? 44 : 30}
              label={categoryTitle ? { value: categoryTitle, position: "insideBottom", fill: chartColors.axis, fontSize: 11 } : undefined}
            />
            <YAxis {...value} width={52} />
          </>
        )}
        <Tooltip content={<ChartTooltip />} cursor={{ fill: "rgba(148, 163, 184, 0.15)" }} isAnimationActive={false} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId={s.stack} isAnimationActive={false} radius={s.stack ? 0 : rowsLayout ? [0, 3, 3, 0] : [3, 3, 0, 0]} maxBarSize={rowsLayout ? 22 : 28}>
            {colors && rows.map((row, i) => <Cell key={row.label} fill={colors[i] ?? s.color} />)}
          </Bar>
        ))}
      </Bars>
      {legend && <ChartLegend series={series} />}
    </div>
  );
}
