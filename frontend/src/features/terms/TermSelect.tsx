import type { SelectHTMLAttributes } from "react";
import { SelectField } from "../../components/Field";
import { useI18n } from "../../i18n/I18nProvider";
import { useAcademicYears, useTerms } from "./api";

/** A term, chosen by year (one group per academic year, latest first); the empty choice is `emptyLabel`. */
export function TermSelect({
  label,
  emptyLabel,
  error,
  hint,
  ...select
}: {
  label: string;
  emptyLabel: string;
  error?: string | undefined;
  hint?: string | undefined;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "children">) {
  const { t } = useI18n();
  const years = useAcademicYears();
  const terms = useTerms();
  const ordered = [...(years.data ?? [])].sort((a, b) => b.starts_on.localeCompare(a.starts_on));
  return (
    <SelectField label={label} error={error} hint={hint} {...select}>
      <option value="">{emptyLabel}</option>
      {ordered.map((year) => (
        <optgroup key={year.id} label={year.name}>
          {(terms.data ?? [])
            .filter((term) => term.academic_year_id === year.id)
            .sort((a, b) => a.starts_on.localeCompare(b.starts_on))
            .map((term) => (
              <option key={term.id} value={term.id}>
                {term.is_current ? t("terms.currentOption", { name: term.name }) : term.name} · {year.name}
              </option>
            ))}
        </optgroup>
      ))}
    </SelectField>
  );
}
