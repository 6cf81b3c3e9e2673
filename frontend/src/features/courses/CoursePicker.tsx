import type { ReactNode } from "react";
import { SelectField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { useCourseOptions, type Course } from "./api";

/** One <option> a course, named by its code and name. */
export function CourseOptions({ courses }: { courses: Course[] }) {
  return courses.map((course) => (
    <option key={course.id} value={course.id}>
      {course.course_code} — {course.course_name}
    </option>
  ));
}

/** Choose one of all the courses; `options` lays them out otherwise (ClassPicker groups them). */
export function CoursePicker({
  value,
  onChange,
  options = (courses) => <CourseOptions courses={courses} />,
}: {
  value: number | null;
  onChange: (id: number | null) => void;
  options?: (courses: Course[]) => ReactNode;
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
      {options(courses.data ?? [])}
    </SelectField>
  );
}
