import { SelectField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { useCourseOptions } from "./api";

export function CoursePicker({
  value,
  onChange,
}: {
  value: number | null;
  onChange: (id: number | null) => void;
}) {
  const t = useT();
  const courses = useCourseOptions();
  return (
    <SelectField
      label={t("grades.course")}
      value={value ?? ""}
      onChange={(event) => onChange(event.target.value ? Number(event.target.value) : null)}
      style={{ minWidth: 260 }}
    >
      <option value="">{courses.isPending ? t("common.loading") : t("common.choose")}</option>
      {(courses.data ?? []).map((course) => (
        <option key={course.id} value={course.id}>
          {course.course_code} — {course.course_name}
        </option>
      ))}
    </SelectField>
  );
}
