import { Link } from "react-router";
import type { components } from "../../api/schema";
import { DataTable } from "../../components/DataTable";
import { Badge } from "../../components/Feedback";
import { useI18n } from "../../i18n/I18nProvider";
import { formatNumber } from "../../lib/format";

type AtRisk = components["schemas"]["AtRiskStudent"];

/** Student-course pairs below the attendance threshold, worst first. */
export function AtRiskTable({ rows, busy }: { rows: AtRisk[]; busy?: boolean }) {
  const { t, locale } = useI18n();
  return (
    <DataTable
      rows={rows}
      busy={busy}
      testId="at-risk"
      rowKey={(row) => `${row.student_id}-${row.course_id}`}
      columns={[
        {
          key: "name",
          header: t("students.name"),
          cell: (row) => (
            <>
              <Link to={`/students/${row.student_id}`}>{row.name}</Link>{" "}
              <span className="muted mono">{row.student_number}</span>
            </>
          ),
        },
        {
          key: "course",
          header: t("grades.course"),
          cell: (row) => <Link to={`/courses/${row.course_id}`}>{row.course_code}</Link>,
        },
        {
          key: "rate",
          header: t("dashboard.attendanceRate"),
          className: "num",
          cell: (row) => <Badge tone="fail">{formatNumber(row.attendance_rate, locale, 1)}%</Badge>,
        },
      ]}
    />
  );
}
