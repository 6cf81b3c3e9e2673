import { useAuth } from "../../auth/AuthProvider";
import { useT } from "../../i18n/I18nProvider";
import { CourseOptions, CoursePicker } from "../courses/CoursePicker";
import { mayTeach } from "./access";

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
  if (user?.role !== "teacher") return <CoursePicker value={value} onChange={onChange} />;
  return (
    <CoursePicker
      value={value}
      onChange={onChange}
      options={(all) => {
        const others = all.filter((course) => !mayTeach(user, course));
        return (
          <>
            <optgroup label={t("classes.title")}>
              <CourseOptions courses={all.filter((course) => mayTeach(user, course))} />
            </optgroup>
            {others.length > 0 && (
              <optgroup label={t("classes.othersReadOnly")}>
                <CourseOptions courses={others} />
              </optgroup>
            )}
          </>
        );
      }}
    />
  );
}
