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
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useTransition, type ReactNode } from "react";
import { cn } from "../ui/cn";

export const tableFeatureSet = tableFeatures({ rowPaginationFeature, rowSortingFeature });
export type Features = typeof tableFeatureSet;
export type Columns<T extends RowData> = ColumnDef<Features, T, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
export const columnHelper = <T extends RowData>() => createColumnHelper<Features, T>();

/** Writes table state into the URL; the server page reads it back and queries PostgreSQL. */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const set = (changes: Record<string, string | null>, resetPage = true) => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    if (resetPage) next.delete("page");
    startTransition(() => router.push(`${pathname}?${next.toString()}`, { scroll: false }));
  };
  return { params, set, pending };
}

/**
 * A server-side table: rows arrive already paged, sorted and filtered by the
 * database; sorting clicks only change the URL. `sort` is "column.asc|desc".
 */
export function DataTable<T extends RowData>({
  columns,
  rows,
  sort,
  rowKey,
  empty = "Nothing here yet.",
  footer,
  caption,
}: {
  columns: Columns<T>;
  rows: T[];
  sort?: string;
  rowKey: (row: T) => string;
  empty?: ReactNode;
  footer?: ReactNode;
  caption?: string;
}) {
  const { set, pending } = useUrlState();
  const sorting = useMemo<SortingState>(() => {
    if (!sort) return [];
    const [id, direction] = sort.split(".");
    return id ? [{ id, desc: direction === "desc" }] : [];
  }, [sort]);
  const table = useTable({
    features: tableFeatureSet,
    columns,
    data: rows,
    getRowId: (row) => rowKey(row),
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      set({ sort: first ? `${first.id}.${first.desc ? "desc" : "asc"}` : null });
    },
  });
  return (
    <div className={cn("overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm", pending && "opacity-60")}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead className="bg-slate-50">
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
                    className={cn("px-3 py-2.5 font-semibold whitespace-nowrap text-slate-600", align)}
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
              <tr key={row.id} className="hover:bg-slate-50">
                {row.getAllCells().map((cell) => {
                  const align = (cell.column.columnDef.meta as { align?: string } | undefined)?.align === "right" ? "text-right tabular-nums" : "";
                  return (
                    <td key={cell.id} className={cn("px-3 py-2.5 whitespace-nowrap", align)}>
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
    </div>
  );
}
