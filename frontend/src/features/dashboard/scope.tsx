import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { api, unwrap } from "../../api/client";
import { SelectField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { useSearch } from "../../lib/searchParams";
import type { DashboardScope } from "./queryKeys";

// ?term=<id> or ?term=all; none: the current term.
const scopeSearch = z.object({
  term: z.union([z.literal("all"), z.coerce.number().int().positive()]).optional(),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The term the dashboard's figures cover, kept in the URL, and the page of a "see all" list. */
export function useDashboardScope() {
  const [search, update] = useSearch(scopeSearch);
  const scope: DashboardScope =
    search.term === "all" ? { all_terms: true } : search.term ? { term_id: search.term } : {};
  return { scope, term: search.term, offset: search.offset, update };
}

/** Choose the term (current by default) or every term. */
export function TermSelect({
  value,
  onChange,
}: {
  value: number | "all" | undefined;
  onChange: (value: string | null) => void;
}) {
  const t = useT();
  const terms = useQuery({
    queryKey: ["terms", "list"],
    queryFn: () => unwrap(api.GET("/api/v1/terms")),
    staleTime: 5 * 60_000,
  });
  return (
    <SelectField
      label={t("dashboard.term")}
      value={value ?? ""}
      onChange={(event) => onChange(event.target.value || null)}
      style={{ minWidth: 220 }}
    >
      <option value="">{t("dashboard.currentTerm")}</option>
      {(terms.data ?? []).map((term) => (
        <option key={term.id} value={term.id}>
          {term.academic_year_name} · {term.name}
        </option>
      ))}
      <option value="all">{t("dashboard.allTerms")}</option>
    </SelectField>
  );
}
