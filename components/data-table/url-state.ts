"use client";

import { createSerializer, useQueryStates, type inferParserType, type Nullable } from "nuqs";
import { useTransition } from "react";
import { urlLists, type ListId, type ListParams } from "@/lib/url-state/lists";

const noList = { params: {}, position: [] };

export type ListState<L extends ListId> = inferParserType<ListParams<L>>;
export type ListChanges<L extends ListId> = Partial<Nullable<ListState<L>>>;

/**
 * A list's state in the URL, read and written with the same parsers the
 * server page parses it with (lib/url-state/lists). Every change navigates
 * (the server page queries PostgreSQL again), pushes a history entry and
 * keeps the scroll position; unless it only moves within the list
 * (`keepPosition`), it also goes back to the first page.
 */
export function useListState<L extends ListId>(list: L) {
  // A table without a list (one that does not sort) reads and writes nothing.
  const { params, position } = (urlLists[list] ?? noList) as { params: ListParams<L>; position: readonly string[] };
  const [pending, startTransition] = useTransition();
  const [state, setState] = useQueryStates(params, { shallow: false, history: "push", scroll: false, startTransition });
  const set = (changes: ListChanges<L>, { keepPosition = false } = {}) => {
    const reset = keepPosition ? {} : Object.fromEntries(position.map((key) => [key, null]));
    return setState({ ...reset, ...changes } as never);
  };
  /** The query string of the current state (defaults left out), e.g. for the CSV link. */
  const query = createSerializer(params)(state as never);
  return { state: state as ListState<L>, set, pending, query };
}
