import { useState } from "react";
import { TextField } from "../../components/Field";
import { useI18n } from "../../i18n/I18nProvider";

/** A page offset that goes back to the first page whenever a filter changes. */
export function usePageOffset() {
  const [offset, setOffset] = useState(0);
  const refilter =
    <Value,>(set: (value: Value) => void) =>
    (value: Value) => {
      set(value);
      setOffset(0);
    };
  return { offset, setOffset, refilter };
}

/** The search box of a list of students (the class list, the students to add to it). */
export function StudentSearch({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <TextField
      label={t("students.search")}
      type="search"
      value={value}
      placeholder={t("students.searchPlaceholder")}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
