import { useState } from "react";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { KeyValueList } from "../../components/KeyValueList";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatNumber } from "../../lib/format";
import { CopyBlock } from "./CopyBlock";
import { downloadReport, type MoveJob } from "./moveApi";

/** Step 5: what was moved and checked, the report, and how to switch SMS over. */
export function ResultStep({ job }: { job: MoveJob }) {
  const { t, locale } = useI18n();
  const [download, setDownload] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const summary = job.summary;
  const seconds = summary ? Math.max(0, Math.round(summary.seconds)) : 0;

  const fetchReport = () => {
    setDownload({ busy: true, error: null });
    downloadReport(job.id).then(
      () => setDownload({ busy: false, error: null }),
      (error: unknown) => setDownload({ busy: false, error }),
    );
  };

  return (
    <div className="stack" data-testid="move-result">
      <Card
        title={t("move.result.title")}
        labelledBy="move-result"
        actions={
          <Button busy={download.busy} onClick={fetchReport} data-testid="move-report">
            {t("move.result.download")}
          </Button>
        }
      >
        <ErrorAlert error={download.error} />
        {summary && (
          <KeyValueList
            items={[
              {
                label: t("move.result.tables"),
                value: formatNumber(summary.tables, locale),
                testId: "result-tables",
              },
              {
                label: t("move.result.rows"),
                value: formatNumber(summary.rows, locale),
                testId: "result-rows",
              },
              {
                label: t("move.result.verified"),
                value: summary.verified ? t("move.yes") : t("move.no"),
                testId: "result-verified",
              },
              {
                label: t("move.result.time"),
                value: t(pluralKey("move.result.seconds", seconds, locale), {
                  count: formatNumber(seconds, locale),
                }),
              },
            ]}
          />
        )}
      </Card>
      <Alert tone="warn">
        <span data-testid="move-read-only-note">{t("move.result.readOnlyNote")}</span>
      </Alert>
      {job.next_step && (
        <Card title={t("move.result.switchTitle")} labelledBy="move-switch">
          <div className="stack">
            <p>{t("move.result.envHint")}</p>
            <CopyBlock
              text={job.next_step.env_lines.join("\n")}
              label={t("move.result.envHint")}
              testId="env-lines"
            />
            <p>{t("move.result.restartHint")}</p>
            <CopyBlock
              text={job.next_step.restart_command}
              label={t("move.result.restartHint")}
              testId="restart-command"
            />
          </div>
        </Card>
      )}
    </div>
  );
}
