"use client";

import { useEffect, useState, type ReactNode } from "react";
import type { ListId, ListParams } from "@/lib/url-state/lists";
import { urlLists } from "@/lib/url-state/lists";
import { buttonVariants } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { useListState } from "./url-state";

/** Lists with a key `K` in their URL. */
type ListsWith<K extends string> = { [L in ListId]: K extends keyof ListParams<L> ? L : never }[ListId];
/** A list's filter keys: its URL parameters other than position, sort, search and day range. */
type FilterKey<L extends ListId> = Exclude<keyof ListParams<L> & string, "page" | "perPage" | "sort" | "q" | "from" | "to" | "cursor" | "direction">;

export type FilterDef<L extends ListId = ListId> = { name: FilterKey<L>; label: string; options: { value: string; label: string }[] };

type AnyParser = { type?: "single" | "multi"; parse: (value: never) => unknown; serialize: (value: never) => string | string[] };
const parserOf = (list: ListId, key: string) => (urlLists[list].params as unknown as Record<string, AnyParser>)[key]!;
/** An <option> value to the parameter's value (a one-element set for a multi-value parameter), and back. */
const fromOption = (parser: AnyParser, value: string) => parser.parse((parser.type === "multi" ? [value] : value) as never);
const toOption = (parser: AnyParser, value: unknown) => [parser.serialize(value as never)].flat().join(",");

/** From/To day inputs: the list's `from`/`to` URL parameters (days in the install's time zone). */
export function DateRangeFilter({ list }: { list: ListsWith<"from" | "to"> }) {
  const { state, set } = useListState(list);
  const days = state as { from: string | null; to: string | null };
  return (
    <>
      {(["from", "to"] as const).map((name) => (
        <div key={name} className="w-40">
          <label htmlFor={`filter-${name}`} className="mb-1 block text-xs font-medium text-slate-500">
            {name === "from" ? "From" : "To"}
          </label>
          <Input id={`filter-${name}`} type="date" defaultValue={days[name] ?? ""} onChange={(e) => set({ [name]: e.target.value || null } as never)} />
        </div>
      ))}
    </>
  );
}

/** A select over one of the list's filter parameters; "All" clears it. */
export function FilterSelect<L extends ListId>({ list, filter, allLabel = "All", className = "w-36" }: { list: L; filter: FilterDef<L>; allLabel?: string; className?: string }) {
  const { state, set } = useListState(list);
  const parser = parserOf(list, filter.name);
  const current = (state as Record<string, unknown>)[filter.name];
  return (
    <div className={className}>
      <label htmlFor={`filter-${filter.name}`} className="mb-1 block text-xs font-medium text-slate-500">
        {filter.label}
      </label>
      <Select
        id={`filter-${filter.name}`}
        value={current === null || current === undefined ? "" : toOption(parser, current)}
        onChange={(e) => set({ [filter.name]: e.target.value ? fromOption(parser, e.target.value) : null } as never)}
      >
        <option value="">{allLabel}</option>
        {filter.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

/** An "Export CSV" link carrying the list's current filters (lib/url-state/lists, defaults left out). */
export function CsvLink({ list, href }: { list: ListId; href: string }) {
  const { query } = useListState(list);
  return (
    <a href={`${href}${query}`} className={buttonVariants({ variant: "secondary", className: "ml-auto" })} download>
      Export CSV
    </a>
  );
}

/** Search box, filters and CSV link of one list; every change lands in the list's URL parameters. */
export function TableToolbar<L extends ListId>({
  list,
  searchPlaceholder,
  filters = [],
  dateRange = false,
  csvHref,
  children,
}: {
  list: L;
  /** Adds the search box (`q` in the URL). */
  searchPlaceholder?: string;
  filters?: FilterDef<L>[];
  /** Adds From/To day inputs (`from`/`to` in the URL). */
  dateRange?: boolean;
  csvHref?: string;
  children?: ReactNode;
}) {
  const { state, set } = useListState(list);
  const search = (state as { q?: string | null }).q ?? "";
  const [q, setQ] = useState(search);
  useEffect(() => {
    if (q.trim() === search) return;
    const timer = setTimeout(() => set({ q: q.trim() || null } as never), 300);
    return () => clearTimeout(timer);
    // Only typing schedules a write; the URL changing under it (Back, a filter) does not.
  }, [q]);
  useEffect(() => {
    // Back/Forward changed the search: show it (a write of what was typed lands equal, and is left alone).
    if (q.trim() !== search) setQ(search);
  }, [search]);
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
        <FilterSelect key={filter.name} list={list} filter={filter} />
      ))}
      {dateRange && <DateRangeFilter list={list as ListsWith<"from" | "to">} />}
      {children}
      {csvHref && <CsvLink list={list} href={csvHref} />}
    </div>
  );
}

/**
 * Offset pager for tables that know their page count: the list's `page` URL
 * parameter. With `totalIsAtLeast` the count stopped early: the pages and rows
 * shown are a floor ("400+ · 10,000+ rows") and Next stays open.
 */
export function Pager({ list, pageCount, total, totalIsAtLeast = false }: { list: ListsWith<"page">; pageCount: number; total?: number; totalIsAtLeast?: boolean }) {
  const { state, set } = useListState(list);
  const page = (state as { page: number }).page;
  const go = (n: number) => set({ page: n <= 1 ? null : n } as never, { keepPosition: true });
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm text-slate-600">
      <span>
        Page {Math.min(page, Math.max(pageCount, 1))} of {Math.max(pageCount, 1)}
        {totalIsAtLeast && "+"}
        {total !== undefined && ` · ${total.toLocaleString("en-US")}${totalIsAtLeast ? "+" : ""} rows`}
      </span>
      <span className="flex gap-2">
        <button type="button" className={buttonVariants({ variant: "secondary", size: "sm" })} disabled={page <= 1} onClick={() => go(page - 1)}>
          Previous
        </button>
        <button type="button" className={buttonVariants({ variant: "secondary", size: "sm" })} disabled={page >= pageCount && !totalIsAtLeast} onClick={() => go(page + 1)}>
          Next
        </button>
      </span>
    </nav>
  );
}
