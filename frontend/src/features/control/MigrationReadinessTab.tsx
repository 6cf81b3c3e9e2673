import { useEffect, useState } from "react";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert, Loading } from "../../components/Feedback";
import { Card } from "../../components/Layout";
import { en, type MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { formatNumber } from "../../lib/format";
import { formatKey, nothingToMigrate, useReadinessCheck, type ReadinessReport } from "./readinessApi";
import { isUnavailable } from "./unavailable";
import { useDatabaseHealth } from "./useHealth";
import { ReadinessTables, readinessTitle } from "./ReadinessTables";
import { SheetTable } from "../grades/SheetTable";

const DRY_RUN = "python -m backend.scripts.migrate_sqlite_to_postgres --dry-run";

export function MigrationReadinessTab() {
  const { t } = useI18n();
  const health = useDatabaseHealth();
  const check = useReadinessCheck();
  const engine = health.data?.engine;
  const { mutate } = check;

  // On PostgreSQL the server itself says there is nothing to migrate: ask it rather than guess.
  useEffect(() => {
    if (engine === "postgresql") mutate();
  }, [engine, mutate]);

  if (health.isPending) return <Loading />;
  const onPostgres = nothingToMigrate(check.error);
  if (onPostgres !== null) {
    return (
      <Alert tone="ok" title={t("migration.onPostgresTitle")}>
        <p data-testid="nothing-to-migrate">{onPostgres}</p>
      </Alert>
    );
  }
  if (engine === "postgresql" && !check.data && !check.error) return <Loading />;
  const report = check.data;

  return (
    <div className="stack">
      <Card
        title={t("migration.title")}
        labelledBy="migration-title"
        description={t("migration.description")}
        actions={
          <Button variant="primary" busy={check.isPending} onClick={() => check.mutate()}>
            {report ? t("migration.runAgain") : t("migration.run")}
          </Button>
        }
      >
        {isUnavailable(check.error) ? (
          <Alert tone="info" title={t("migration.unavailableTitle")}>
            <p>{t("migration.unavailableBody")}</p>
            <pre className="code-block">{DRY_RUN}</pre>
          </Alert>
        ) : (
          <ErrorAlert error={check.error} />
        )}
        {!report && !check.error && <p className="muted">{t("migration.notRun")}</p>}
      </Card>
      {report && <ReadinessReportView report={report} />}
    </div>
  );
}

function ReadinessReportView({ report }: { report: ReadinessReport }) {
  const { t, locale } = useI18n();
  const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
  const withProblems = report.tables.filter((table) => table.problem_count > 0);

  return (
    <>
      <section data-testid="readiness-summary">
        <Alert tone={report.ready ? "ok" : "error"} title={readinessTitle(report, t, locale)}>
          <p>
            {t("migration.checked", {
              tables: formatNumber(report.tables.length, locale),
              rows: formatNumber(rows, locale),
            })}{" "}
            <span className="mono">{report.source}</span>
          </p>
        </Alert>
      </section>

      <Card title={t("migration.tables")} labelledBy="migration-tables">
        <ReadinessTables report={report} testId="readiness-tables" />
      </Card>

      {withProblems.length > 0 && (
        <Card
          title={t("migration.problems")}
          labelledBy="migration-problems"
          description={t("migration.problemsHint")}
        >
          <SheetTable
            testId="readiness-problems"
            headers={[
              t("health.table"),
              t("migration.kind"),
              t("migration.column"),
              t("migration.key"),
              t("migration.value"),
              t("migration.message"),
            ]}
          >
            {withProblems.flatMap((table) => [
              ...table.problems.map((problem, index) => (
                <tr key={`${table.name}-${index}`}>
                  <td className="mono nowrap">{table.name}</td>
                  <td>
                    {kindLabel(problem.kind, t)} <span className="mono muted nowrap">({problem.kind})</span>
                  </td>
                  <td className="mono nowrap">{problem.column}</td>
                  <td className="mono nowrap">{formatKey(problem.primary_key)}</td>
                  <td className="mono cell-value">{problem.value}</td>
                  <td>{problem.message}</td>
                </tr>
              )),
              ...(table.problem_count > table.problems.length
                ? [
                    <tr key={`${table.name}-more`}>
                      <td className="mono nowrap">{table.name}</td>
                      <td colSpan={5} className="muted">
                        {t("migration.more", { count: table.problem_count - table.problems.length })}
                      </td>
                    </tr>,
                  ]
                : []),
            ])}
          </SheetTable>
        </Card>
      )}

      <Card
        title={t("migration.next")}
        labelledBy="migration-next"
        description={report.ready ? t("migration.nextHint") : t("migration.nextHintBlocked")}
      >
        <ol className="stack" style={{ margin: 0, paddingLeft: 18 }}>
          {report.next_commands.map((command, index) => (
            <li key={command}>
              <CopyableCommand command={command} step={index + 1} />
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}

function kindLabel(kind: string, t: (key: MessageKey) => string): string {
  const key = `migration.kind.${kind}`;
  return key in en ? t(key as MessageKey) : kind;
}

function CopyableCommand({ command, step }: { command: string; step: number }) {
  const { t } = useI18n();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setState("copied");
    } catch {
      // No clipboard permission (an insecure origin, a locked-down browser): the text stays selectable.
      setState("failed");
    }
  };

  return (
    <div className="stack" style={{ gap: 6 }}>
      <pre className="code-block" data-testid="next-command">
        {command}
      </pre>
      <div className="row" style={{ alignItems: "center" }}>
        <Button size="sm" aria-label={t("migration.copyStep", { step })} onClick={() => void copy()}>
          {t("migration.copy")}
        </Button>
        <span className="muted" role="status">
          {state === "copied" ? t("migration.copied") : state === "failed" ? t("migration.copyFailed") : ""}
        </span>
      </div>
    </div>
  );
}
