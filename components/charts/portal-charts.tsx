import { chartAmount, dayLabel, peak } from "@/lib/charts";
import { formatMoney, outstandingOf } from "@/lib/money";
import type { Dashboard } from "@/lib/portal/dashboard";
import { BarChart } from "./bar-chart";
import { ChartFigure, ChartTable } from "./chart-figure";
import { LineChart, type ChartMark } from "./line-chart";
import { chartColors } from "./palette";

const fullDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
const longDay = (day: string) => fullDay.format(new Date(`${day}T00:00:00Z`));

/**
 * The reseller dashboard's charts: its balance (prepaid) or outstanding
 * (postpaid) at the end of each of the last 30 days, shown only with
 * finance.view, and its activations and renewals per day.
 */
export function PortalCharts({ dashboard, showMoney }: { dashboard: Dashboard; showMoney: boolean }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      {showMoney && <PositionFigure dashboard={dashboard} />}
      <ChargesFigure dashboard={dashboard} className={showMoney ? undefined : "lg:col-span-2"} />
    </div>
  );
}

function PositionFigure({ dashboard: d }: { dashboard: Dashboard }) {
  const currency = d.reseller.currency;
  const money = (v: bigint) => formatMoney(v, currency);
  const postpaid = d.reseller.type === "postpaid";
  const name = postpaid ? "Outstanding" : "Balance";
  const points = d.charts.history.map((h) => ({ day: h.day, value: postpaid ? outstandingOf(h.balance) : h.balance }));
  const first = points[0]!;
  const last = points.at(-1)!;
  const extreme = points.reduce((best, p) => (postpaid ? p.value > best.value : p.value < best.value) ? p : best, first);
  const summary = postpaid
    ? `Your outstanding went from ${money(first.value)} on ${dayLabel(first.day)} to ${money(last.value)} today, against a collection limit of ${money(d.collectionLimit)}` +
      (extreme.value > 0n ? `; highest ${money(extreme.value)} on ${dayLabel(extreme.day)}.` : ".")
    : `Your balance went from ${money(first.value)} on ${dayLabel(first.day)} to ${money(last.value)} today; lowest ${money(extreme.value)} on ${dayLabel(extreme.day)}.`;
  const marks: ChartMark[] = postpaid
    ? [{ name: `Collection limit ${money(d.collectionLimit)}`, value: chartAmount(d.collectionLimit, currency), color: chartColors.red }]
    : d.cheapestRate !== null
      ? [{ name: `Cheapest rate ${money(d.cheapestRate)}`, value: chartAmount(d.cheapestRate, currency), color: chartColors.amber }]
      : [];
  return (
    <ChartFigure
      testId="chart-position"
      title={postpaid ? "Outstanding, last 30 days" : "Balance, last 30 days"}
      summary={summary}
      table={
        <ChartTable
          caption={`${name} at the end of each day, last 30 days`}
          columns={["Day", `${name} at day end`]}
          rows={[...points].reverse().map((p) => [longDay(p.day), money(p.value)])}
        />
      }
    >
      <LineChart
        rows={points.map((p) => ({ label: dayLabel(p.day), tooltipLabel: longDay(p.day), value: chartAmount(p.value, currency), valueText: money(p.value) }))}
        series={{ key: "value", name: `${name} at day end`, color: postpaid ? chartColors.orange : chartColors.brand }}
        format={{ kind: "money", currency }}
        marks={marks}
      />
    </ChartFigure>
  );
}

function ChargesFigure({ dashboard: d, className }: { dashboard: Dashboard; className?: string }) {
  const days = d.charts.charges;
  const activations = days.reduce((n, c) => n + c.activations, 0);
  const renewals = days.reduce((n, c) => n + c.renewals, 0);
  const busiest = peak(days, (c) => c.activations + c.renewals);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const summary =
    activations + renewals === 0
      ? `No activations or renewals in the last ${days.length} days.`
      : `${plural(activations, "activation")} and ${plural(renewals, "renewal")} in the last ${days.length} days` +
        (busiest ? `; the busiest day was ${dayLabel(busiest.day)} with ${busiest.activations + busiest.renewals}.` : ".");
  return (
    <ChartFigure
      className={className}
      testId="chart-charges"
      title="Activations and renewals per day"
      summary={summary}
      table={
        <ChartTable
          caption="Activations and renewals per day, last 30 days"
          columns={["Day", "Activations", "Renewals"]}
          rows={[...days].reverse().map((c) => [longDay(c.day), c.activations, c.renewals])}
        />
      }
    >
      <BarChart
        rows={days.map((c) => ({ label: dayLabel(c.day), tooltipLabel: longDay(c.day), activations: c.activations, activationsText: String(c.activations), renewals: c.renewals, renewalsText: String(c.renewals) }))}
        format={{ kind: "count" }}
        series={[
          { key: "activations", name: "Activations", color: chartColors.emerald, stack: "charges" },
          { key: "renewals", name: "Renewals", color: chartColors.brand, stack: "charges" },
        ]}
      />
    </ChartFigure>
  );
}
