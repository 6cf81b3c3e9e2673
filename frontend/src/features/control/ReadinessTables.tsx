import { DataTable } from "../../components/DataTable";
import { Badge } from "../../components/Feedback";
import type { T } from "../../i18n/I18nProvider";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatNumber } from "../../lib/format";
import { tableColumns } from "./columns";
import type { ReadinessReport } from "./readinessApi";

type ReadinessTable = ReadinessReport["tables"][number];

// The Migration readiness tab and the move wizard's readiness step show one report: its verdict
// and its tables read the same in both.

/** "Ready to migrate", or how many problems stand in the way. */
export function readinessTitle(report: ReadinessReport, t: T, locale: string): string {
  return report.ready
    ? t("migration.ready")
    : t(pluralKey("migration.notReady", report.problems_total, locale), { count: report.problems_total });
}

/** Each table of the report: its name, its rows, its problems. */
export function ReadinessTables({
  report,
  testId,
  scroll,
}: {
  report: ReadinessReport;
  testId?: string;
  scroll?: boolean;
}) {
  const { t, locale } = useI18n();
  return (
    <DataTable
      testId={testId}
      rows={report.tables}
      rowKey={(table) => table.name}
      scroll={scroll}
      columns={[
        ...tableColumns(t, (table: ReadinessTable) => formatNumber(table.rows, locale)),
        {
          key: "problems",
          header: t("migration.problems"),
          cell: (table) =>
            table.problem_count === 0 ? (
              <Badge tone="ok">{t("migration.noProblems")}</Badge>
            ) : (
              <Badge tone="fail">
                {t(pluralKey("migration.problemCount", table.problem_count, locale), {
                  count: table.problem_count,
                })}
              </Badge>
            ),
        },
      ]}
    />
  );
}
