"use client";

import {
  createColumnHelper,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Sort } from "@/lib/url-state/parsers";
import type { ListId, ListParams } from "@/lib/url-state/lists";
import { cn } from "@/components/ui/cn";
import { useListState } from "./url-state";

export const tableFeatureSet = tableFeatures({ rowPaginationFeature, rowSortingFeature });
export type Features = typeof tableFeatureSet;
// `any` per column value type: a table's columns hold values of different types.
export type Columns<T extends RowData> = ColumnDef<Features, T, any>[];
export const columnHelper = <T extends RowData>() => createColumnHelper<Features, T>();

/** The lists whose URL holds a sort. */
export type SortableList = { [L in ListId]: "sort" extends keyof ListParams<L> ? L : never }[ListId];

/**
 * A server-side table: rows arrive already paged, sorted and filtered by the
 * database. With a `list`, the sort is that list's `sort` URL parameter (its
 * parser in lib/url-state/lists, the one the server page reads): a header
 * click writes it and the page queries again.
 */
/**
 * A box that scrolls sideways when its table is wider than the screen (a
 * phone): then it becomes a named, focusable region, so keyboard users can
 * scroll it too; otherwise it adds no tab stop.
 */
export function ScrollBox({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const check = () => setOverflows(element.scrollWidth > element.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={box}
      className={cn("relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm", className)}
      {...(overflows ? { role: "region", "aria-label": `${label} (scrolls sideways)`, tabIndex: 0 } : {})}
    >
      {children}
    </div>
  );
}

/** The first column stays in view while a phone scrolls the rest of the row sideways. */
export const stickyFirstCell = "max-sm:first:sticky max-sm:first:left-0 max-sm:first:z-10 max-sm:first:bg-inherit";

export function DataTable<T extends RowData>({
  columns,
  rows,
  list,
  rowKey,
  empty = "Nothing here yet.",
  footer,
  caption,
}: {
  columns: Columns<T>;
  rows: T[];
  list?: SortableList;
  rowKey: (row: T) => string;
  empty?: ReactNode;
  footer?: ReactNode;
  caption?: string;
}) {
  const { state, set, pending } = useListState(list as SortableList);
  const sort = list ? (state as { sort: Sort }).sort : null;
  const sorting = useMemo<SortingState>(() => (sort ? [{ id: sort.column, desc: sort.direction === "desc" }] : []), [sort]);
  const table = useTable({
    features: tableFeatureSet,
    columns,
    data: rows,
    getRowId: (row) => rowKey(row),
    manualSorting: true,
    manualPagination: true,
    enableSorting: list !== undefined,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      set({ sort: first ? { column: first.id, direction: first.desc ? "desc" : "asc" } : null } as Parameters<typeof set>[0]);
    },
  });
  return (
    <ScrollBox label={caption ?? "Table"} className={cn(pending && "opacity-60")}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead className="bg-slate-50 [&_tr]:bg-slate-50">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const canSort = header.column.getCanSort();
                const direction = header.column.getIsSorted();
                const align = (header.column.columnDef.meta as { align?: string } | undefined)?.align === "right" ? "text-right" : "text-left";
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={direction ? (direction === "asc" ? "ascending" : "descending") : undefined}
                    className={cn("px-3 py-2.5 font-semibold whitespace-nowrap text-slate-600", stickyFirstCell, align)}
                  >
                    {header.isPlaceholder ? null : canSort ? (
                      <button type="button" onClick={header.column.getToggleSortingHandler()} className="inline-flex items-center gap-1 hover:text-slate-900">
                        <table.FlexRender header={header} />
                        <span aria-hidden className="text-slate-400">{direction === "asc" ? "▲" : direction === "desc" ? "▼" : "↕"}</span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-4 py-10 text-center text-slate-500">
                {empty}
              </td>
            </tr>
          ) : (
            table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="bg-white hover:bg-slate-50">
                {row.getAllCells().map((cell) => {
                  const align = (cell.column.columnDef.meta as { align?: string } | undefined)?.align === "right" ? "text-right tabular-nums" : "";
                  return (
                    <td key={cell.id} className={cn("px-3 py-2.5 whitespace-nowrap", stickyFirstCell, align)}>
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
        {footer && <tfoot className="bg-slate-50 font-semibold">{footer}</tfoot>}
      </table>
    </ScrollBox>
  );
}
