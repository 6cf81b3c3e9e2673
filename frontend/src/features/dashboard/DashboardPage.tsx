import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, unwrap } from "../../api/client";
import { Badge, Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { DataTable } from "../../components/DataTable";
import { Card, PageHeader, Stat } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { formatNumber } from "../../lib/format";
import { dashboardKeys } from "./queryKeys";

export function DashboardPage() {
  const { t, locale } = useI18n();
  const summary = useQuery({
    queryKey: dashboardKeys.summary(),
    queryFn: () => unwrap(api.GET("/api/v1/dashboard/summary")),
    refetchInterval: 60_000,
  });
  const data = summary.data;
  const today = data?.attendance_today;
  const recorded = today ? today.present + today.absent + today.late + today.excused : 0;

  return (
    <>
      <PageHeader title={t("dashboard.title")} description={t("dashboard.description")} />
      <ErrorAlert error={summary.error} />
      {summary.isPending && <Loading />}
      {data && today && (
        <div className="stack">
          <div className="grid grid-stats">
            <Stat
              label={t("dashboard.students")}
              value={formatNumber(data.students, locale)}
              hint={<Link to="/students">{t("dashboard.viewStudents")}</Link>}
            />
            <Stat
              label={t("dashboard.courses")}
              value={formatNumber(data.courses, locale)}
              hint={<Link to="/courses">{t("dashboard.viewCourses")}</Link>}
            />
            <Stat label={t("dashboard.enrollments")} value={formatNumber(data.enrollments, locale)} />
            <Stat
              label={t("dashboard.atRiskCount")}
              value={formatNumber(data.at_risk_students.length, locale)}
            />
          </div>
          <Card
            title={t("dashboard.attendanceToday")}
            labelledBy="attendance-today"
            description={
              recorded === 0
                ? t("dashboard.noAttendanceToday")
                : t("dashboard.recordedToday", { count: recorded })
            }
          >
            <div className="grid grid-stats">
              <Stat label={t("attendance.present")} value={today.present} />
              <Stat label={t("attendance.absent")} value={today.absent} />
              <Stat label={t("attendance.late")} value={today.late} />
              <Stat label={t("attendance.excused")} value={today.excused} />
            </div>
          </Card>
          <Card title={t("dashboard.atRisk")} labelledBy="at-risk" description={t("dashboard.atRiskHint")}>
            {data.at_risk_students.length === 0 ? (
              <Empty>{t("dashboard.noneAtRisk")}</Empty>
            ) : (
              <DataTable
                rows={data.at_risk_students}
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
            )}
          </Card>
        </div>
      )}
    </>
  );
}
