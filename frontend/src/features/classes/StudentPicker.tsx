import { useState } from "react";
import { SelectField, TextField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { useDebounced } from "../../lib/useDebounced";
import { useStudent, useStudents } from "../students/api";
import { listName } from "../students/names";

/** Choose one student: type part of a name or ID, then pick from the first matches. */
export function StudentPicker({
  value,
  onChange,
  label,
  error,
}: {
  value: number | null;
  onChange: (id: number | null) => void;
  label: string;
  error?: string;
}) {
  const t = useT();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim());
  const matches = useStudents({ limit: 20, offset: 0, q: q || undefined, sort: "last_name" });
  const chosen = useStudent(value);
  const options = matches.data?.items ?? [];
  // The chosen student stays an option while the search shows others.
  const shown = chosen.data && !options.some((s) => s.id === value) ? [chosen.data, ...options] : options;
  return (
    <div className="row" style={{ alignItems: "flex-end" }}>
      <TextField
        label={t("picker.findStudent")}
        type="search"
        value={search}
        placeholder={t("students.searchPlaceholder")}
        onChange={(event) => setSearch(event.target.value)}
      />
      <SelectField
        label={label}
        value={value ?? ""}
        error={error}
        onChange={(event) => onChange(event.target.value ? Number(event.target.value) : null)}
        style={{ minWidth: 240 }}
      >
        <option value="">{matches.isPending ? t("common.loading") : t("common.choose")}</option>
        {shown.map((student) => (
          <option key={student.id} value={student.id}>
            {listName(student)} ({student.student_id})
          </option>
        ))}
      </SelectField>
    </div>
  );
}
