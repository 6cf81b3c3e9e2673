import { useMutation } from "@tanstack/react-query";
import { rawRequest } from "../../api/http";
import { ApiError } from "../../api/errors";
import { Button } from "../../components/Button";
import { Alert, Badge, ErrorAlert, Loading } from "../../components/Feedback";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { formatNumber } from "../../lib/format";
import type { ReadinessReport } from "./types";
import { useDatabaseHealth } from "./useHealth";

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function MigrationReadinessTab() {
  const { t, locale } = useI18n();
  const health = useDatabaseHealth();
  const check = useMutation({
    mutationFn: () => rawRequest<ReadinessReport>("POST", "/api/v1/control/migration-readiness"),
  });

  if (health.isPending) return <Loading />;
  if (health.data?.engine === "postgresql") {
    return (
      <Alert tone="ok" title={t("migration.onPostgresTitle")}>
        {t("migration.onPostgresBody")}
      </Alert>
    );
  }
  const unavailable = check.error instanceof ApiError && (check.error.status === 404 || check.error.status === 405);
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
        {unavailable ? (
          <Alert tone="info" title={t("migration.unavailableTitle")}>
            <p>{t("migration.unavailableBody")}</p>
            <pre className="code-block">python -m backend.scripts.migrate_sqlite_to_postgres --dry-run</pre>
          </Alert>
        ) : (
          <ErrorAlert error={check.error} />
        )}
        {!report && !check.error && <p className="muted">{t("migration.notRun")}</p>}
      </Card>

      {report && (
        <>
          <Alert
            tone={report.ready ? "ok" : "error"}
            title={report.ready ? t("migration.ready") : t("migration.notReady", { count: report.problems_total })}
          >
            <span className="mono">{report.source}</span>
          </Alert>
          <Card title={t("migration.tables")} labelledBy="migration-tables">
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t("health.table")}</th>
                    <th scope="col" className="num">
                      {t("health.rows")}
                    </th>
                    <th scope="col">{t("migration.problems")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.tables.map((table) => (
                    <tr key={table.name}>
                      <td className="mono">{table.name}</td>
                      <td className="num">{formatNumber(table.rows, locale)}</td>
                      <td>
                        {table.problem_count === 0 ? (
                          <Badge tone="ok">{t("migration.noProblems")}</Badge>
                        ) : (
                          <div className="stack" style={{ gap: 6 }}>
                            <Badge tone="fail">{t("migration.problemCount", { count: table.problem_count })}</Badge>
                            <ul style={{ margin: 0, paddingLeft: 18 }}>
                              {table.problems.map((problem, index) => (
                                <li key={index}>
                                  <strong>{problem.kind}</strong>
                                  {problem.column && <> · <span className="mono">{problem.column}</span></>}
                                  {problem.primary_key !== null && problem.primary_key !== undefined && (
                                    <> · {t("migration.key")} <span className="mono">{show(problem.primary_key)}</span></>
                                  )}
                                  {problem.value !== null && problem.value !== undefined && (
                                    <> · {t("migration.value")} <span className="mono">{show(problem.value)}</span></>
                                  )}
                                  <div>{problem.message}</div>
                                </li>
                              ))}
                            </ul>
                            {table.problem_count > table.problems.length && (
                              <span className="muted">
                                {t("migration.more", { count: table.problem_count - table.problems.length })}
                              </span>
                            )}
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
          <Card title={t("migration.next")} labelledBy="migration-next" description={t("migration.nextHint")}>
            <div className="stack">
              {report.next_commands.map((command) => (
                <pre key={command} className="code-block">
                  {command}
                </pre>
              ))}
            </div>
          </Card>
        </>
      )}
    </div>
  );
}
