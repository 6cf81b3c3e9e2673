import { useEffect, useState } from "react";
import { z } from "zod";
import type { Sorting } from "../components/DataTable";
import { useSearch, type SearchChanges, type SearchSchema } from "./searchParams";
import { useDebounced } from "./useDebounced";

/** The query every paged list sends (the API's limit, offset, q, sort and order). */
export interface ListParams {
  limit: number;
  offset: number;
  q?: string;
  sort?: string;
  order?: "asc" | "desc";
}

/** The search params of a paged list page: ?q=&offset=&sort=&order= (sort limited to the API's fields). */
export function listSearch<const F extends readonly [string, ...string[]]>(
  fields: F,
  defaultSort: F[number],
) {
  return z.object({
    q: z.string().default(""),
    offset: z.coerce.number().int().min(0).default(0),
    // zod types an enum's default as its own value map; `defaultSort` is one of `fields` by its type.
    sort: z.enum(fields).default(defaultSort as never),
    order: z.enum(["asc", "desc"]).default("asc"),
  });
}

type ListOutput = { q: string; offset: number; sort: string; order: "asc" | "desc" };

/**
 * A list page's state, kept in the URL so a reload or a shared link shows the same page: the
 * search box (sent once typing pauses, back to the first page), the sorting, the page.
 */
export function useListParams<S extends SearchSchema>(schema: S) {
  const [params, update] = useSearch(schema);
  const list = params as z.output<S> & ListOutput;
  const [search, setSearch] = useState(list.q);
  const q = useDebounced(search.trim());

  useEffect(() => {
    if (q !== list.q) update({ q, offset: null } as SearchChanges<S>);
  }, [q, list.q, update]);

  const sorting: Sorting = {
    sort: list.sort,
    order: list.order,
    onSort: (field, order) => update({ sort: field, order } as SearchChanges<S>),
  };
  const setOffset = (offset: number) => update({ offset } as SearchChanges<S>);
  return { params: list, update, search, setSearch, sorting, setOffset };
}
