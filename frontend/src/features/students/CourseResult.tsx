import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { Alert, Badge, ErrorAlert, Loading, type Tone } from "../../components/Feedback";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatNumber } from "../../lib/format";
import type { Course } from "../courses/api";
import { useAttendanceSummary, useFinalGrade, type Enrollment, type FinalGrade } from "./api";

/** Each attendance status with the colour its count is shown in. */
const STATUS_TONES: ["present" | "absent" | "late" | "excused", Tone][] = [
  ["present", "ok"],
  ["absent", "fail"],
  ["late", "warn"],
  ["excused", "info"],
];

const STANDING_TONES: Record<FinalGrade["status"], Tone> = {
  passed: "ok",
  failed: "fail",
  incomplete: "warn",
  no_grades: "neutral",
};

/**
 * The final grade on the course's scale and its standing: passed, not passed, incomplete (a weighted
 * component has no grade yet, so there is no verdict) or no grades at all (no number, never 0).
 */
function FinalGradeBadge({ grade, courseId }: { grade: FinalGrade; courseId: number }) {
  const { t, locale } = useI18n();
  const shown = grade.complete && grade.final_grade !== null;
  return (
    <div style={{ textAlign: "right" }}>
      <div className="stat-label">{t("finalGrade.title")}</div>
      <div className="stat-value" data-testid={`final-grade-${courseId}`}>
        {shown ? formatNumber(grade.final_grade, locale, 2) : "—"}
        <span className="muted" style={{ fontSize: "1rem" }}>
          {" "}
          / {formatNumber(grade.max_grade, locale)}
        </span>
      </div>
      <Badge tone={STANDING_TONES[grade.status]}>{t(`finalGrade.status.${grade.status}`)}</Badge>
    </div>
  );
}

/** Why a result is incomplete (the rule stated) and which grades the rules leave out. */
function CompletenessNotes({ grade }: { grade: FinalGrade }) {
  const { t, locale } = useI18n();
  const list = (names: string[]) => new Intl.ListFormat(locale, { type: "conjunction" }).format(names);
  return (
    <>
      {grade.status === "incomplete" && (
        <Alert tone="warn">
          {t(pluralKey("finalGrade.missingRule", grade.missing.length, locale), {
            categories: list(grade.missing),
          })}
        </Alert>
      )}
      {grade.uncounted_categories.length > 0 && (
        <Alert tone="info">
          {t(pluralKey("finalGrade.uncounted", grade.uncounted_categories.length, locale), {
            categories: list(grade.uncounted_categories),
          })}
        </Alert>
      )}
    </>
  );
}

/** One enrolled course: the computed final grade, its components and the attendance record. */
export function CourseResult({
  studentId,
  enrollment,
  course,
}: {
  studentId: number;
  enrollment: Enrollment;
  course?: Course;
}) {
  const { t, locale } = useI18n();
  const grade = useFinalGrade(studentId, enrollment.course_id);
  const attendance = useAttendanceSummary(studentId, enrollment.course_id);
  const headingId = `course-result-${enrollment.course_id}`;

  return (
    <section className="card stack" aria-labelledby={headingId}>
      <div className="card-header" style={{ marginBottom: 0 }}>
        <div>
          <h3 id={headingId}>
            <Link to={`/courses/${enrollment.course_id}`}>
              {course ? `${course.course_code} — ${course.course_name}` : `#${enrollment.course_id}`}
            </Link>
          </h3>
          <span className="muted">{t(`enrollment.${enrollment.status}`)}</span>
        </div>
        {grade.data && <FinalGradeBadge grade={grade.data} courseId={enrollment.course_id} />}
      </div>
      {grade.isPending && <Loading />}
      <ErrorAlert error={grade.error} />
      {grade.data && <CompletenessNotes grade={grade.data} />}
      {grade.data && (
        <DataTable
          scroll={false}
          caption={t("finalGrade.components")}
          rows={grade.data.components}
          rowKey={(component) => component.category}
          columns={[
            { key: "category", header: t("grades.component"), cell: (component) => component.category },
            {
              key: "weight",
              header: t("finalGrade.weight"),
              className: "num",
              cell: (component) => `${formatNumber(component.weight, locale, 1)}%`,
            },
            {
              key: "average",
              header: t("finalGrade.average"),
              className: "num",
              cell: (component) =>
                component.missing || component.average_percent === null ? (
                  <Badge tone="warn">{t("finalGrade.missing")}</Badge>
                ) : (
                  `${formatNumber(component.average_percent, locale, 1)}%`
                ),
            },
            {
              key: "contribution",
              header: t("finalGrade.contributionOf", { max: formatNumber(grade.data.max_grade, locale) }),
              className: "num",
              // The API's contribution is out of a 0-100 total; the column is on the course's scale.
              cell: (component) =>
                component.contribution === null
                  ? "—"
                  : formatNumber((component.contribution * grade.data!.max_grade) / 100, locale, 2),
            },
          ]}
          footer={
            grade.data.absence_penalty > 0 && (
              <tr>
                <td colSpan={3}>
                  {t(pluralKey("finalGrade.penalty", grade.data.unexcused_absences, locale), {
                    count: grade.data.unexcused_absences,
                  })}
                </td>
                <td className="num">−{formatNumber(grade.data.absence_penalty, locale, 2)}</td>
              </tr>
            )
          }
        />
      )}
      <ErrorAlert error={attendance.error} />
      {attendance.data && (
        <div className="row" style={{ alignItems: "center" }} aria-label={t("attendance.summary")}>
          <strong>{t("attendance.summary")}:</strong>
          <span>
            {t("attendance.rate", {
              rate:
                attendance.data.attendance_rate === null || attendance.data.attendance_rate === undefined
                  ? "—"
                  : formatNumber(attendance.data.attendance_rate, locale, 1),
            })}
          </span>
          {STATUS_TONES.map(([status, tone]) => (
            <Badge key={status} tone={tone}>
              {t(`attendance.${status}`)}: {attendance.data[status]}
            </Badge>
          ))}
          {attendance.data.at_risk && <Badge tone="fail">{t("attendance.atRisk")}</Badge>}
        </div>
      )}
      <div className="row">
        <Link to={`/performance?student=${studentId}&course=${enrollment.course_id}`}>
          {t("performance.title")}
        </Link>
        <Link to={`/highlights?student=${studentId}`}>{t("highlights.title")}</Link>
      </div>
    </section>
  );
}
