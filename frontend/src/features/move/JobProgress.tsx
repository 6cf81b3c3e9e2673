import { codeMessage, type Words } from "../../api/errors";
import { Badge, type Tone } from "../../components/Feedback";
import { DataTable } from "../../components/DataTable";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatDateTime, formatNumber } from "../../lib/format";
import type { MoveJob } from "./moveApi";

const STATE_TONE: Record<MoveJob["state"], Tone> = {
  queued: "neutral",
  running: "info",
  cancelling: "warn",
  succeeded: "ok",
  failed: "fail",
  cancelled: "neutral",
};
const TABLE_TONE: Record<MoveJob["tables"][number]["state"], Tone> = {
  waiting: "neutral",
  copying: "info",
  verified: "ok",
};

/** A job's error in the reader's words, from its code (the server's text is never shown). */
export function jobError(job: MoveJob, words: Words): string | null {
  if (!job.error) return null;
  return codeMessage(job.error.code, job.error.params ?? {}, words) ?? codeMessage("move_failed", {}, words);
}

/** A job as it runs: state, the rows bar with rows/s and time left, and every table's progress. */
export function JobProgress({ job }: { job: MoveJob }) {
  const { t, locale } = useI18n();
  const left = job.seconds_left === null ? null : Math.max(0, Math.ceil(job.seconds_left));
  return (
    <div className="stack" data-testid="job-progress" data-state={job.state}>
      <div className="row" style={{ alignItems: "center" }}>
        <Badge tone={STATE_TONE[job.state]} large>
          <span data-testid="job-state">{t(`move.job.state.${job.state}`)}</span>
        </Badge>
        <span className="muted">
          {t("move.job.started", {
            kind: t(`move.job.kind.${job.kind}`),
            who: job.started_by ?? "—",
            when: formatDateTime(job.started_at ?? job.created_at, locale),
          })}
        </span>
      </div>
      {job.rows_total > 0 && (
        <div className="stack" style={{ gap: 4 }}>
          <progress
            max={job.rows_total}
            value={job.rows_done}
            aria-label={t("move.progress.label")}
            data-testid="job-bar"
            style={{ width: "100%", height: 14 }}
          />
          <div className="row muted" style={{ justifyContent: "space-between" }}>
            <span data-testid="job-rows">
              {t(pluralKey("move.progress.rows", job.rows_total, locale), {
                done: formatNumber(job.rows_done, locale),
                total: formatNumber(job.rows_total, locale),
              })}
            </span>
            {job.rows_per_second !== null && (
              <span data-testid="job-rate">
                {t("move.progress.rate", { rate: formatNumber(job.rows_per_second, locale) })}
              </span>
            )}
            {left !== null && job.state === "running" && (
              <span data-testid="job-left">
                {t(pluralKey("move.progress.left", left, locale), { count: formatNumber(left, locale) })}
              </span>
            )}
          </div>
        </div>
      )}
      {job.tables.length > 0 && (
        <DataTable
          testId="job-tables"
          rows={job.tables}
          rowKey={(table) => table.name}
          caption={t("move.progress.label")}
          columns={[
            {
              key: "name",
              header: t("move.progress.table"),
              cellClassName: "mono",
              cell: (table) => table.name,
            },
            {
              key: "rows",
              header: t("move.connection.rows"),
              className: "num",
              cell: (table) =>
                `${formatNumber(table.rows_done, locale)} / ${formatNumber(table.rows_total, locale)}`,
            },
            {
              key: "bar",
              header: t("move.progress.label"),
              hiddenHeader: true,
              cell: (table) => (
                <progress
                  max={Math.max(table.rows_total, 1)}
                  value={table.rows_total === 0 && table.state === "verified" ? 1 : table.rows_done}
                  aria-label={table.name}
                />
              ),
            },
            {
              key: "state",
              header: t("move.progress.state"),
              cell: (table) => (
                <Badge tone={TABLE_TONE[table.state]}>{t(`move.table.state.${table.state}`)}</Badge>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
