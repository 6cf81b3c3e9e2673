import { useCallback, useState } from "react";
import { z } from "zod";
import { Alert, Empty, ErrorAlert } from "../../components/Feedback";
import { PageHeader } from "../../components/Layout";
import { useLeaveWarning } from "../../components/useLeaveWarning";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { useSearch } from "../../lib/searchParams";
import { ClassPicker } from "../classes/ClassPicker";
import { useCourse } from "../courses/api";
import { GradeSheet } from "./GradeSheet";

// /grades?course=
const gradesSearch = z.object({ course: z.coerce.number().int().positive().optional() });

export function GradeEntryPage() {
  const { t, locale } = useI18n();
  const [search, update] = useSearch(gradesSearch);
  const courseId = search.course ?? null;
  const course = useCourse(courseId);
  // Grades typed and not saved yet: another course or page would lose them.
  const [unsaved, setUnsaved] = useState(0);
  const confirmLeave = useLeaveWarning(
    unsaved > 0,
    t(pluralKey("grades.unsaved", unsaved, locale), { count: unsaved }),
  );
  const chooseCourse = useCallback(
    (id: number | null) => {
      if (confirmLeave()) {
        setUnsaved(0);
        update({ course: id });
      }
    },
    [confirmLeave, update],
  );
  const rules = course.data?.evaluation_rules ?? [];

  return (
    <>
      <PageHeader title={t("grades.title")} description={t("grades.description")} />
      <div className="stack">
        <div className="card row">
          <ClassPicker value={courseId} onChange={chooseCourse} />
        </div>
        {courseId === null && <Empty>{t("attendance.chooseCourse")}</Empty>}
        <ErrorAlert error={course.error} />
        {course.data &&
          (rules.length === 0 ? (
            <Alert tone="warn" title={t("grades.noRulesTitle")}>
              {t("grades.noRules")}
            </Alert>
          ) : (
            <GradeSheet
              key={course.data.id}
              course={course.data}
              confirmLeave={confirmLeave}
              onUnsaved={setUnsaved}
            />
          ))}
      </div>
    </>
  );
}
