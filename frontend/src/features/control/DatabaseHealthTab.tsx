import { useState } from "react";
import { Button } from "../../components/Button";
import { Alert, Badge, ErrorAlert, Loading, type Tone } from "../../components/Feedback";
import { DataTable } from "../../components/DataTable";
import { KeyValueList } from "../../components/KeyValueList";
import { Card, Stat } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { formatBytes, formatDateTime, formatNumber } from "../../lib/format";
import { tableColumns } from "./columns";
import { EngineBadge } from "./EngineBadge";
import { useDatabaseHealth, type DatabaseHealth } from "./useHealth";
import { translateWarning } from "./warnings";

const AUTO_REFRESH_MS = 30_000;
const STATUS_TONE: Record<DatabaseHealth["status"], Tone> = { pass: "ok", warn: "warn", fail: "fail" };

export function DatabaseHealthTab() {
  const { t } = useI18n();
  const [auto, setAuto] = useState(true);
  const health = useDatabaseHealth(auto ? AUTO_REFRESH_MS : false);

  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <p className="muted" style={{ margin: 0 }}>
          {t("health.intro")}
        </p>
        <div className="row" style={{ alignItems: "center" }}>
          <label className="checkbox">
            <input type="checkbox" checked={auto} onChange={(event) => setAuto(event.target.checked)} />
            {t("health.autoRefresh")}
          </label>
          <Button onClick={() => void health.refetch()} busy={health.isFetching}>
            {t("health.refresh")}
          </Button>
        </div>
      </div>
      {health.isPending && <Loading />}
      {health.error && <ErrorAlert error={health.error} />}
      {health.data && <HealthReportView report={health.data} />}
    </div>
  );
}

function HealthReportView({ report }: { report: DatabaseHealth }) {
  const { t, locale } = useI18n();
  const exact = report.row_counts_exact ?? report.engine === "sqlite";
  const backupAge = report.backup?.age_hours;

  return (
    <div className="stack">
      <section className="card" aria-label={t("health.summary")}>
        <div className="row" style={{ alignItems: "center", justifyContent: "space-between" }}>
          <div className="row" style={{ alignItems: "center" }}>
            <EngineBadge engine={report.engine} />
            <Badge tone={STATUS_TONE[report.status]} large>
              <span data-testid="health-status">{t(`health.status.${report.status}`)}</span>
            </Badge>
          </div>
          <span className="muted">
            {t("health.checkedAt", { time: formatDateTime(report.checked_at, locale) })}
          </span>
        </div>
      </section>

      {report.error && (
        <Alert tone="error" title={t("health.unreachable")}>
          {t("health.errorKind", { kind: report.error })}
        </Alert>
      )}

      <div className="grid grid-stats">
        <Stat
          label={t("health.serverVersion")}
          // PostgreSQL reports "15.20 (Debian 15.20-0+deb12u1)": the number leads, the build goes below.
          value={report.server_version?.split(" (")[0] ?? "—"}
          hint={[
            report.server_version?.includes(" (") ? report.server_version : null,
            `${report.dialect} + ${report.driver}`,
          ]
            .filter(Boolean)
            .join(" · ")}
        />
        <Stat
          label={t("health.latency")}
          value={report.latency_ms == null ? "—" : `${formatNumber(report.latency_ms, locale, 1)} ms`}
        />
        <Stat
          label={t("health.schema")}
          value={
            report.schema ? (
              <Badge tone={report.schema.up_to_date ? "ok" : "fail"}>
                {report.schema.up_to_date ? t("health.schemaAtHead") : t("health.schemaBehind")}
              </Badge>
            ) : (
              "—"
            )
          }
          hint={
            report.schema
              ? t("health.schemaRevisions", {
                  current: report.schema.current ?? t("health.none"),
                  head: report.schema.head,
                })
              : undefined
          }
        />
        <Stat
          label={t("health.size")}
          value={formatBytes(report.size_bytes, locale)}
          hint={
            report.engine === "sqlite" && report.journal_mode
              ? t("health.journal", {
                  mode: report.journal_mode,
                  wal: formatBytes(report.wal_size_bytes, locale),
                })
              : undefined
          }
        />
        <Stat
          label={t("health.lastBackup")}
          value={
            backupAge == null
              ? t("health.noBackup")
              : backupAge < 1
                ? t("health.minutesAgo", { minutes: Math.round(backupAge * 60) })
                : t("health.hoursAgo", { hours: formatNumber(backupAge, locale, 1) })
          }
          hint={report.backup?.last_at ? formatDateTime(report.backup.last_at, locale) : undefined}
        />
      </div>

      <Card title={t("health.warnings")} labelledBy="health-warnings">
        {report.warnings.length === 0 ? (
          <Alert tone="ok">{t("health.noWarnings")}</Alert>
        ) : (
          <ul className="warning-list">
            {report.warnings.map((warning, index) => {
              const { message, action } = translateWarning(warning, t, locale);
              return (
                // settings_ignored can come more than once, so the code alone is not a unique key.
                <li key={`${warning.code}-${index}`} data-warning-code={warning.code}>
                  <Alert
                    tone={
                      warning.code === "unreachable" ||
                      warning.code === "schema_behind" ||
                      warning.code === "not_writable"
                        ? "error"
                        : "warn"
                    }
                    title={message}
                  >
                    <p>
                      <strong>{t("health.whatToDo")}</strong> {action}
                    </p>
                  </Alert>
                </li>
              );
            })}
          </ul>
        )}
      </Card>

      <div className="grid grid-2">
        <Card title={t("health.connection")} labelledBy="health-connection">
          <KeyValueList
            items={[
              { label: t("health.url"), value: report.url, className: "mono", testId: "masked-url" },
              { label: t("health.resolvedFrom"), value: report.resolved_from },
              { label: t("health.database"), value: report.database ?? "—", className: "mono" },
              report.engine === "postgresql" && {
                label: t("health.host"),
                value: `${report.host ?? "—"}${report.port ? `:${report.port}` : ""}`,
                className: "mono",
              },
            ]}
          />
        </Card>
        <Card title={t("health.pool")} labelledBy="health-pool">
          {report.pool ? (
            <KeyValueList
              items={[
                { label: t("health.poolClass"), value: report.pool.class, className: "mono" },
                ...(report.pool.size != null
                  ? [
                      { label: t("health.poolSize"), value: report.pool.size },
                      { label: t("health.poolCheckedOut"), value: report.pool.checked_out },
                      { label: t("health.poolCheckedIn"), value: report.pool.checked_in },
                      { label: t("health.poolOverflow"), value: report.pool.overflow },
                    ]
                  : []),
              ]}
            />
          ) : (
            <p className="muted">—</p>
          )}
        </Card>
      </div>

      <Card
        title={t("health.tables")}
        labelledBy="health-tables"
        description={exact ? t("health.rowsExact") : t("health.rowsEstimate")}
      >
        <DataTable
          rows={report.tables ?? []}
          rowKey={(table) => table.name}
          columns={[
            ...tableColumns(t, (table: NonNullable<DatabaseHealth["tables"]>[number]) =>
              table.rows === null ? t("health.missingTable") : formatNumber(table.rows, locale),
            ),
            {
              key: "count",
              header: t("health.count"),
              cell: () => (
                <Badge tone={exact ? "ok" : "info"}>{exact ? t("health.exact") : t("health.estimate")}</Badge>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
