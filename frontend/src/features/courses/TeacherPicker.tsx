import { useId } from "react";
import { useI18n } from "../../i18n/I18nProvider";
import { useTeacherOptions } from "../users/api";
import type { Course } from "./api";

type Teacher = Course["teachers"][number];

/**
 * The course's teachers, ticked from the school's active teachers and admins (admins only: the
 * accounts list is theirs); others see the names. A course may have several teachers or none.
 */
export function TeacherPicker({
  current,
  selected,
  onChange,
  editable,
  error,
}: {
  current: Teacher[];
  selected: number[];
  onChange: (ids: number[]) => void;
  editable: boolean;
  error?: string | undefined;
}) {
  const { t } = useI18n();
  const id = useId();
  const options = useTeacherOptions(editable);
  if (!editable) {
    return (
      <p className="span-all">
        <strong>{t("courses.teachers")}:</strong>{" "}
        {current.map((teacher) => teacher.full_name || teacher.email).join(", ") || "—"}
      </p>
    );
  }
  // Someone already assigned stays listed even if the account has since been deactivated.
  const people: Teacher[] = (options.data ?? []).map(({ id, full_name, email }) => ({
    id,
    full_name,
    email,
  }));
  for (const teacher of current) {
    if (!people.some((person) => person.id === teacher.id)) people.push(teacher);
  }
  const toggle = (userId: number, on: boolean) =>
    onChange(on ? [...selected, userId] : selected.filter((other) => other !== userId));
  return (
    <fieldset className="field span-all" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="field-label">{t("courses.teachers")}</legend>
      <div className="row" style={{ maxHeight: 160, overflowY: "auto" }} data-testid="teacher-picker">
        {people.length === 0 && <span>{t("courses.noTeachers")}</span>}
        {people.map((person) => (
          <label key={person.id} className="checkbox">
            <input
              type="checkbox"
              checked={selected.includes(person.id)}
              onChange={(event) => toggle(person.id, event.target.checked)}
            />
            {person.full_name || person.email}
          </label>
        ))}
      </div>
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  );
}
