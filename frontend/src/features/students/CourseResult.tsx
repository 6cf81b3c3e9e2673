import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { Badge, ErrorAlert, Loading, type Tone } from "../../components/Feedback";
import { useI18n } from "../../i18n/I18nProvider";
import { formatNumber } from "../../lib/format";
import type { Course } from "../courses/api";
import { useAttendanceSummary, useFinalGrade, type Enrollment } from "./api";

/** One enrolled course: the computed final grade, its components and the attendance record. */
/** Each attendance status with the colour its count is shown in. */
const STATUS_TONES: ["present" | "absent" | "late" | "excused", Tone][] = [
  ["present", "ok"],
  ["absent", "fail"],
  ["late", "warn"],
  ["excused", "info"],
];

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
        {grade.data && (
          <div style={{ textAlign: "right" }}>
            <div className="stat-label">{t("finalGrade.title")}</div>
            <div className="stat-value" data-testid={`final-grade-${enrollment.course_id}`}>
              {formatNumber(grade.data.final_grade, locale, 2)}
              <span className="muted" style={{ fontSize: "1rem" }}>
                {" "}
                / {formatNumber(grade.data.max_grade, locale)}
              </span>
            </div>
            <Badge tone={grade.data.passed ? "ok" : "fail"}>
              {grade.data.passed ? t("finalGrade.passed") : t("finalGrade.failed")}
            </Badge>
          </div>
        )}
      </div>
      {grade.isPending && <Loading />}
      <ErrorAlert error={grade.error} />
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
                component.average_percent === null || component.average_percent === undefined
                  ? t("finalGrade.noGrades")
                  : `${formatNumber(component.average_percent, locale, 1)}%`,
            },
            {
              key: "contribution",
              header: t("finalGrade.contribution"),
              className: "num",
              cell: (component) => formatNumber(component.contribution, locale, 2),
            },
          ]}
          footer={
            grade.data.absence_penalty > 0 && (
              <tr>
                <td colSpan={3}>{t("finalGrade.penalty", { count: grade.data.unexcused_absences })}</td>
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
    </section>
  );
}
