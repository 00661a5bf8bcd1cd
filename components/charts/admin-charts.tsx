import type { AdminDashboard } from "@/lib/admin-dashboard";
import { chartAmount, dayLabel, peak } from "@/lib/charts";
import { formatMoney } from "@/lib/money";
import { BarChart } from "./bar-chart";
import { ChartFigure, ChartTable } from "./chart-figure";
import { chartColors } from "./palette";

type Charts = AdminDashboard["charts"];

const fullDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
const longDay = (day: string) => fullDay.format(new Date(`${day}T00:00:00Z`));
const percentOf = (part: bigint, whole: bigint) => (whole > 0n ? Number((part * 1000n) / whole) / 10 : null);

/** The admin dashboard's charts: money in and charged per day, who owes, and how old what is owed is. */
export function AdminCharts({ charts, currency }: { charts: Charts; currency: string }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
      <FlowsFigure flows={charts.flows} currency={currency} />
      <OutstandingFigure outstanding={charts.outstanding} currency={currency} />
      <AgingFigure aging={charts.aging} currency={currency} />
    </div>
  );
}

function FlowsFigure({ flows, currency }: { flows: Charts["flows"]; currency: string }) {
  const money = (v: bigint) => formatMoney(v, currency);
  const collected = flows.reduce((sum, f) => sum + f.collected, 0n);
  const charged = flows.reduce((sum, f) => sum + f.charged, 0n);
  const best = peak(flows, (f) => f.collected);
  const summary =
    collected === 0n && charged === 0n
      ? `Nothing was collected or charged in the last ${flows.length} days.`
      : `${money(collected)} collected and ${money(charged)} charged in the last ${flows.length} days` +
        (best ? `; the most came in on ${dayLabel(best.day)} (${money(best.collected)}).` : ".");
  const rows = flows.map((f) => ({
    label: dayLabel(f.day),
    tooltipLabel: longDay(f.day),
    collected: chartAmount(f.collected, currency),
    collectedText: money(f.collected),
    charged: chartAmount(f.charged, currency),
    chargedText: money(f.charged),
  }));
  return (
    <ChartFigure
      className="lg:col-span-2"
      testId="chart-flows"
      title="Collected and charged per day"
      summary={summary}
      table={
        <ChartTable
          caption="Collected and charged per day, last 30 days"
          columns={["Day", "Collected", "Charged"]}
          rows={[...flows].reverse().map((f) => [longDay(f.day), money(f.collected), money(f.charged)])}
        />
      }
    >
      <BarChart
        rows={rows}
        format={{ kind: "money", currency }}
        series={[
          { key: "collected", name: "Collected (Add Balance, cash, online)", color: chartColors.emerald },
          { key: "charged", name: "Charged (activations, renewals)", color: chartColors.brand },
        ]}
      />
    </ChartFigure>
  );
}

function OutstandingFigure({ outstanding, currency }: { outstanding: Charts["outstanding"]; currency: string }) {
  const money = (v: bigint) => formatMoney(v, currency);
  const { rows: owing, others } = outstanding;
  const total = owing.reduce((sum, r) => sum + r.outstanding, 0n) + others.outstanding;
  const count = owing.length + others.count;
  const top = owing[0];
  const topShare = top ? percentOf(top.outstanding, top.collectionLimit) : null;
  const summary = !top
    ? "No reseller owes anything."
    : `${count} reseller${count === 1 ? " owes" : "s owe"} ${money(total)}; ${top.name} owes the most, ${money(top.outstanding)}` +
      (topShare === null ? "." : ` (${topShare}% of its ${money(top.collectionLimit)} limit).`);
  const rows = [
    ...owing.map((r) => ({ label: r.name, outstanding: chartAmount(r.outstanding, currency), outstandingText: money(r.outstanding) })),
    ...(others.count ? [{ label: `${others.count} other${others.count === 1 ? "" : "s"}`, outstanding: chartAmount(others.outstanding, currency), outstandingText: money(others.outstanding) }] : []),
  ];
  // Red at or past the limit, amber from 80 % of it.
  const colors = [
    ...owing.map((r) => {
      const share = percentOf(r.outstanding, r.collectionLimit);
      return share === null || share >= 100 ? chartColors.red : share >= 80 ? chartColors.amber : chartColors.brand;
    }),
    chartColors.slate,
  ];
  return (
    <ChartFigure
      testId="chart-outstanding"
      title="Outstanding by reseller"
      summary={summary}
      table={
        <ChartTable
          caption="Outstanding by reseller"
          columns={["Reseller", "Outstanding", "Limit", "Used"]}
          rows={[
            ...owing.map((r) => {
              const share = percentOf(r.outstanding, r.collectionLimit);
              return [r.name, money(r.outstanding), r.collectionLimit > 0n ? money(r.collectionLimit) : "—", share === null ? "—" : `${share}%`];
            }),
            ...(others.count ? [[`${others.count} other${others.count === 1 ? "" : "s"}`, money(others.outstanding), "—", "—"]] : []),
          ]}
        />
      }
    >
      {rows.length === 0 ? (
        <p className="py-10 text-center text-sm text-slate-500">No reseller owes anything.</p>
      ) : (
        <BarChart rows={rows} layout="rows" height={36 + rows.length * 34} format={{ kind: "money", currency }} colors={colors} series={[{ key: "outstanding", name: "Outstanding", color: chartColors.brand }]} />
      )}
    </ChartFigure>
  );
}

const ageBuckets = [
  { key: "days0to30", label: "0–30 days", short: "0–30", color: chartColors.brand },
  { key: "days31to60", label: "31–60 days", short: "31–60", color: chartColors.amber },
  { key: "days61to90", label: "61–90 days", short: "61–90", color: chartColors.orange },
  { key: "days90plus", label: "Over 90 days", short: "90+", color: chartColors.red },
] as const;

function AgingFigure({ aging, currency }: { aging: Charts["aging"]; currency: string }) {
  const money = (v: bigint) => formatMoney(v, currency);
  const summary =
    aging.outstanding === 0n
      ? "Nothing is owed."
      : `Of ${money(aging.outstanding)} owed, ${money(aging.days0to30)} is up to 30 days old, ${money(aging.days31to60)} 31–60 days, ` +
        `${money(aging.days61to90)} 61–90 days and ${money(aging.days90plus)} over 90 days.`;
  const rows = ageBuckets.map((b) => ({ label: b.short, tooltipLabel: `${b.label} old`, owed: chartAmount(aging[b.key], currency), owedText: money(aging[b.key]) }));
  return (
    <ChartFigure
      testId="chart-aging"
      title="Receivables aging"
      summary={summary}
      table={
        <ChartTable
          caption="Receivables aging: what resellers owe, by the age of the charges (oldest paid first)"
          columns={["Age", "Owed", "Share"]}
          rows={ageBuckets.map((b) => [b.label, money(aging[b.key]), aging.outstanding > 0n ? `${percentOf(aging[b.key], aging.outstanding)}%` : "—"])}
        />
      }
    >
      <BarChart rows={rows} format={{ kind: "money", currency }} colors={ageBuckets.map((b) => b.color)} series={[{ key: "owed", name: "Owed", color: chartColors.brand }]} height={220} everyLabel categoryTitle="Days since charged" />
    </ChartFigure>
  );
}
