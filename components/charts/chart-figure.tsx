import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A chart as a figure: a heading and a one-sentence summary (the caption,
 * also the drawing's accessible name), the drawing itself (role="img"), and
 * the same numbers as a real table under "Show as table" — readable without
 * JavaScript, by a screen reader, or when a precise figure matters.
 */
export function ChartFigure({
  title,
  summary,
  table,
  children,
  className,
  testId,
}: {
  title: string;
  summary: string;
  /** The chart's data as a <table>. */
  table: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <figure className={cn("min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm", className)} data-testid={testId}>
      <figcaption className="border-b border-slate-100 px-5 py-4">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <p className="mt-1 text-sm text-slate-600">{summary}</p>
      </figcaption>
      {/* One image named by the summary; the drawing's own ticks and bars stay out of the accessibility tree. */}
      <div role="img" aria-label={`${title}. ${summary}`} className="min-w-0 px-3 pt-4 sm:px-5">
        <div aria-hidden="true">{children}</div>
      </div>
      <details className="px-5 pt-2 pb-4 text-sm">
        <summary className="cursor-pointer text-brand-700 select-none hover:underline">Show as table</summary>
        <div className="mt-2 max-h-80 overflow-auto rounded border border-slate-100">{table}</div>
      </details>
    </figure>
  );
}

/** The table behind a chart: a caption for screen readers, a header row and one row per point; numbers right-aligned. */
export function ChartTable({ caption, columns, rows }: { caption: string; columns: readonly string[]; rows: readonly (readonly ReactNode[])[] }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="sticky top-0 bg-slate-50 text-xs text-slate-500 uppercase">
        <tr>
          {columns.map((c, i) => (
            <th key={c} scope="col" className={cn("px-2 py-2 font-medium sm:px-3", i > 0 && "text-right")}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((cells, r) => (
          <tr key={r}>
            {cells.map((cell, i) =>
              i === 0 ? (
                <th key={i} scope="row" className="px-2 py-1.5 font-normal whitespace-nowrap text-slate-700 sm:px-3">
                  {cell}
                </th>
              ) : (
                <td key={i} className="px-2 py-1.5 text-right whitespace-nowrap tabular-nums sm:px-3">
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
