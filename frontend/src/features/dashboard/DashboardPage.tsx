import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, unwrap } from "../../api/client";
import { ButtonLink } from "../../components/Button";
import { Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { Card, PageHeader, Stat } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatNumber } from "../../lib/format";
import { AtRiskTable } from "./AtRiskTable";
import { dashboardKeys } from "./queryKeys";
import { TermSelect, useDashboardScope } from "./scope";

export function DashboardPage() {
  const { t, locale } = useI18n();
  const { scope, term, update } = useDashboardScope();
  const summary = useQuery({
    queryKey: dashboardKeys.summary(scope),
    queryFn: () => unwrap(api.GET("/api/v1/dashboard/summary", { params: { query: scope } })),
    refetchInterval: 60_000,
  });
  const data = summary.data;
  const today = data?.attendance_today;
  const seeAll = term ? `/dashboard/at-risk?term=${term}` : "/dashboard/at-risk";
  const recorded = today ? today.present + today.absent + today.late + today.excused : 0;

  return (
    <>
      <PageHeader
        title={t("dashboard.title")}
        description={
          data
            ? data.term
              ? t("dashboard.forTerm", { term: data.term.name })
              : t("dashboard.forAllTerms")
            : t("dashboard.description")
        }
        actions={<TermSelect value={term} onChange={(value) => update({ term: value })} />}
      />
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
              value={formatNumber(data.at_risk_count, locale)}
              hint={data.at_risk_count > 0 && <Link to={seeAll}>{t("dashboard.seeAll")}</Link>}
            />
          </div>
          <Card
            title={t("dashboard.attendanceToday")}
            labelledBy="attendance-today"
            description={
              recorded === 0
                ? t("dashboard.noAttendanceToday")
                : t(pluralKey("dashboard.recordedToday", recorded, locale), { count: recorded })
            }
          >
            <div className="grid grid-stats">
              <Stat label={t("attendance.present")} value={today.present} />
              <Stat label={t("attendance.absent")} value={today.absent} />
              <Stat label={t("attendance.late")} value={today.late} />
              <Stat label={t("attendance.excused")} value={today.excused} />
            </div>
          </Card>
          <Card
            title={t("dashboard.atRisk")}
            labelledBy="at-risk"
            description={t("dashboard.atRiskHint")}
            actions={
              data.at_risk_count > 0 && (
                <ButtonLink to={seeAll}>
                  {t(pluralKey("dashboard.seeAllCount", data.at_risk_count, locale), {
                    count: formatNumber(data.at_risk_count, locale),
                  })}
                </ButtonLink>
              )
            }
          >
            {data.at_risk_count === 0 ? (
              <Empty>{t("dashboard.noneAtRisk")}</Empty>
            ) : (
              <>
                <p className="muted">
                  {t(pluralKey("dashboard.preview", data.at_risk_students.length, locale), {
                    shown: data.at_risk_students.length,
                    count: formatNumber(data.at_risk_count, locale),
                  })}
                </p>
                <AtRiskTable rows={data.at_risk_students} />
              </>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
