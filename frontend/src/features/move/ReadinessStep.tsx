import { Link } from "react-router";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Alert, Badge, ErrorAlert } from "../../components/Feedback";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatNumber } from "../../lib/format";
import { tableColumns } from "../control/columns";
import { useReadinessCheck, type ReadinessReport } from "../control/readinessApi";

/** Step 2: the readiness check of the Migration readiness tab, in short; its tab has the details. */
export function ReadinessStep({ onReady }: { onReady: (ready: boolean) => void }) {
  const { t, locale } = useI18n();
  const check = useReadinessCheck();
  const report = check.data;

  return (
    <Card
      title={t("move.readiness.title")}
      labelledBy="move-readiness"
      description={t("move.readiness.description")}
      actions={
        <Button
          variant="primary"
          busy={check.isPending}
          data-testid="readiness-run"
          onClick={() => check.mutate(undefined, { onSuccess: (result) => onReady(result.ready) })}
        >
          {t("move.readiness.run")}
        </Button>
      }
    >
      <ErrorAlert error={check.error} />
      {report && (
        <div className="stack" data-testid="move-readiness-result" data-ready={report.ready}>
          <Alert
            tone={report.ready ? "ok" : "error"}
            title={
              report.ready
                ? t("migration.ready")
                : t(pluralKey("migration.notReady", report.problems_total, locale), {
                    count: report.problems_total,
                  })
            }
          >
            <p>
              <Link to="/control/migration">{t("move.readiness.details")}</Link>
            </p>
          </Alert>
          <DataTable
            rows={report.tables}
            rowKey={(table) => table.name}
            scroll={false}
            columns={[
              ...tableColumns(t, (table: ReadinessReport["tables"][number]) =>
                formatNumber(table.rows, locale),
              ),
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
        </div>
      )}
    </Card>
  );
}
