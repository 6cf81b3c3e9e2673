import { useAuth } from "../../auth/AuthProvider";
import { SelectField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { useCourseOptions, type Course } from "../courses/api";
import { mayTeach } from "./access";

function Options({ courses }: { courses: Course[] }) {
  return courses.map((course) => (
    <option key={course.id} value={course.id}>
      {course.course_code} — {course.course_name}
    </option>
  ));
}

/**
 * Choose the class of a sheet. A teacher sees their own classes first and everyone else's apart,
 * marked read-only, so the picker never suggests a class they may not mark.
 */
export function ClassPicker({
  value,
  onChange,
}: {
  value: number | null;
  onChange: (id: number | null) => void;
}) {
  const t = useT();
  const { user } = useAuth();
  const courses = useCourseOptions();
  const all = courses.data ?? [];
  const mine = all.filter((course) => mayTeach(user, course));
  const others = all.filter((course) => !mayTeach(user, course));
  const split = user?.role === "teacher";
  return (
    <SelectField
      label={t("grades.course")}
      value={value ?? ""}
      onChange={(event) => onChange(event.target.value ? Number(event.target.value) : null)}
      style={{ minWidth: 260 }}
    >
      <option value="">{courses.isPending ? t("common.loading") : t("common.choose")}</option>
      {split ? (
        <>
          <optgroup label={t("classes.title")}>
            <Options courses={mine} />
          </optgroup>
          {others.length > 0 && (
            <optgroup label={t("classes.othersReadOnly")}>
              <Options courses={others} />
            </optgroup>
          )}
        </>
      ) : (
        <Options courses={all} />
      )}
    </SelectField>
  );
}
