"use client";

import { useEffect, useState, type ReactNode } from "react";
import { buttonVariants } from "../ui/button";
import { Input, Select } from "../ui/input";
import { useUrlState } from "./data-table";

export type FilterDef = { name: string; label: string; options: { value: string; label: string }[] };

/** From/To day inputs kept in the URL as `from`/`to` (days in the install's time zone); `extra` rides along with each change. */
export function DateRangeFilter({ extra = {} }: { extra?: Record<string, string | null> }) {
  const { params, set } = useUrlState();
  return (
    <>
      {(["from", "to"] as const).map((name) => (
        <div key={name} className="w-40">
          <label htmlFor={`filter-${name}`} className="mb-1 block text-xs font-medium text-slate-500">
            {name === "from" ? "From" : "To"}
          </label>
          <Input id={`filter-${name}`} type="date" defaultValue={params.get(name) ?? ""} onChange={(e) => set({ [name]: e.target.value || null, ...extra })} />
        </div>
      ))}
    </>
  );
}

/** Search box, filters and CSV link; every change lands in the URL. */
export function TableToolbar({
  searchPlaceholder,
  filters = [],
  dateRange = false,
  csvHref,
  children,
}: {
  searchPlaceholder?: string;
  filters?: FilterDef[];
  /** Adds From/To day inputs (`from`/`to` in the URL). */
  dateRange?: boolean;
  csvHref?: string;
  children?: ReactNode;
}) {
  const { params, set } = useUrlState();
  const [q, setQ] = useState(params.get("q") ?? "");
  useEffect(() => {
    if (q === (params.get("q") ?? "")) return;
    const timer = setTimeout(() => set({ q: q.trim() || null }), 300);
    return () => clearTimeout(timer);
  }, [q]); // eslint-disable-line react-hooks/exhaustive-deps
  const query = params.toString();
  return (
    <div className="mb-3 flex flex-wrap items-end gap-3">
      {searchPlaceholder && (
        <div className="w-full sm:w-64">
          <label htmlFor="table-search" className="sr-only">
            Search
          </label>
          <Input id="table-search" type="search" placeholder={searchPlaceholder} value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
      )}
      {filters.map((filter) => (
        <div key={filter.name} className="w-36">
          <label htmlFor={`filter-${filter.name}`} className="mb-1 block text-xs font-medium text-slate-500">
            {filter.label}
          </label>
          <Select id={`filter-${filter.name}`} value={params.get(filter.name) ?? ""} onChange={(e) => set({ [filter.name]: e.target.value || null })}>
            <option value="">All</option>
            {filter.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </div>
      ))}
      {dateRange && <DateRangeFilter />}
      {children}
      {csvHref && (
        <a href={`${csvHref}${query ? `?${query}` : ""}`} className={buttonVariants({ variant: "secondary", className: "ml-auto" })} download>
          Export CSV
        </a>
      )}
    </div>
  );
}

/** Offset pager for tables that know their page count. */
export function Pager({ page, pageCount, total }: { page: number; pageCount: number; total?: number }) {
  const { set } = useUrlState();
  const go = (n: number) => set({ page: n <= 1 ? null : String(n) }, false);
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm text-slate-600">
      <span>
        Page {Math.min(page, Math.max(pageCount, 1))} of {Math.max(pageCount, 1)}
        {total !== undefined && ` · ${total.toLocaleString("en-US")} rows`}
      </span>
      <span className="flex gap-2">
        <button type="button" className={buttonVariants({ variant: "secondary", size: "sm" })} disabled={page <= 1} onClick={() => go(page - 1)}>
          Previous
        </button>
        <button type="button" className={buttonVariants({ variant: "secondary", size: "sm" })} disabled={page >= pageCount} onClick={() => go(page + 1)}>
          Next
        </button>
      </span>
    </nav>
  );
}
