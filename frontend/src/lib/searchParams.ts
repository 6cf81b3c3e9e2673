import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { z } from "zod";

/** A page's search params: one field per param, each with a default (`.default()` or `.optional()`). */
export type SearchSchema = z.ZodObject;

/**
 * Read the URL's search params through a page's schema. A param that is missing or does not fit its
 * field takes the field's default, so a hand-edited or stale link still opens the page.
 */
export function parseSearch<S extends SearchSchema>(schema: S, params: URLSearchParams): z.output<S> {
  const values: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const parsed = field.safeParse(params.get(name) ?? undefined);
    values[name] = parsed.success ? parsed.data : field.parse(undefined);
  }
  return values as z.output<S>;
}

/** Changes to a page's params: a value sets one, null or "" removes it (the page then shows the default). */
export type SearchChanges<S extends SearchSchema> = Partial<
  Record<keyof z.output<S> & string, string | number | null>
>;

/**
 * The page's search params, parsed by `schema` (a module-level constant), and a setter that merges
 * changes into the URL in place: filters live in the URL so a reload or a shared link shows the same page.
 */
export function useSearch<S extends SearchSchema>(
  schema: S,
): [z.output<S>, (changes: SearchChanges<S>) => void] {
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => parseSearch(schema, params), [schema, params]);
  const update = useCallback(
    (changes: SearchChanges<S>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes)) {
            if (value === null || value === undefined || value === "") next.delete(name);
            else next.set(name, String(value));
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [search, update];
}
