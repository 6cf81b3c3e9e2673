import { useState } from "react";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { SelectField } from "../../components/Field";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import type { TestedConnection } from "./ConnectionStep";
import { JobProgress, jobError } from "./JobProgress";
import { isActive, useCancelJob, useStartJob, type MoveJob } from "./moveApi";

// What an old client or a hand edit may have stored as TEXT in a Greek school's SQLite file.
const ENCODINGS = ["windows-1253", "iso-8859-7", "latin-1"] as const;

/**
 * Step 3 (dry run) and 4 (move): start the job, follow its progress (read again twice a second,
 * so a reloaded page picks it up from the server), cancel it, or see why it failed.
 * The buttons are no writes read-only mode disables: the move turns that mode on itself, and
 * the API lets the move's own controls through (backend/api/read_only.py EXEMPT).
 */
export function RunStep({
  kind,
  job,
  tested,
  encoding,
  onEncoding,
}: {
  kind: MoveJob["kind"];
  /** The server's current job, whatever its kind. */
  job: MoveJob | null;
  tested: TestedConnection | null;
  /** The same choice for the dry run and the move, so the move does what its dry run checked. */
  encoding: string | null;
  onEncoding: (encoding: string | null) => void;
}) {
  const words = useI18n();
  const { t } = words;
  const start = useStartJob();
  const cancel = useCancelJob();
  const [confirming, setConfirming] = useState(false);
  const dryRun = kind === "dry_run";
  const mine = job?.kind === kind ? job : null;
  const running = isActive(job);

  const begin = () => {
    if (!tested) return;
    start.mutate({
      connection: tested.connection,
      dryRun,
      forceLiveTarget: tested.forceLiveTarget,
      sourceEncoding: encoding,
    });
  };

  return (
    <Card
      title={dryRun ? t("move.dryRun.title") : t("move.run.title")}
      labelledBy={`move-${kind}`}
      description={dryRun ? t("move.dryRun.description") : t("move.run.description")}
    >
      <div className="stack">
        {!running && (
          <>
            {!tested && <Alert tone="info">{t("move.connection.testFirst")}</Alert>}
            <SelectField
              label={t("move.run.encoding")}
              hint={t("move.run.encodingHint")}
              value={encoding ?? ""}
              onChange={(event) => onEncoding(event.target.value || null)}
            >
              <option value="">{t("move.run.encodingReport")}</option>
              {ENCODINGS.map((name) => (
                <option key={name} value={name}>
                  {t("move.run.encodingAs", { encoding: name })}
                </option>
              ))}
            </SelectField>
            <div className="row">
              <Button
                variant="primary"
                write={false}
                busy={start.isPending}
                disabled={!tested}
                onClick={begin}
                data-testid={dryRun ? "dry-run-start" : "move-start"}
              >
                {mine && mine.state !== "succeeded"
                  ? t("move.run.again")
                  : dryRun
                    ? t("move.dryRun.start")
                    : t("move.run.start")}
              </Button>
            </div>
          </>
        )}
        <ErrorAlert error={start.error ?? cancel.error} />
        {mine && <JobProgress job={mine} />}
        {mine?.state === "succeeded" && dryRun && <Alert tone="ok">{t("move.dryRun.ok")}</Alert>}
        {mine?.state === "cancelled" && (
          <Alert tone="info">
            <span data-testid="move-cancelled">{t("move.run.cancelled")}</span>
          </Alert>
        )}
        {mine?.state === "failed" && (
          <Alert tone="error" title={t("move.run.failed")}>
            <span data-testid="job-error">{jobError(mine, words)}</span>
          </Alert>
        )}
        {running && job && job.state !== "cancelling" && (
          <div className="row">
            {confirming ? (
              <Alert tone="warn" title={t("move.run.confirmCancel")}>
                <div className="row">
                  <Button
                    variant="danger"
                    write={false}
                    busy={cancel.isPending}
                    data-testid="move-cancel-confirm"
                    onClick={() => cancel.mutate(job.id, { onSettled: () => setConfirming(false) })}
                  >
                    {t("move.run.confirmYes")}
                  </Button>
                  <Button onClick={() => setConfirming(false)}>{t("move.run.keepGoing")}</Button>
                </div>
              </Alert>
            ) : (
              <Button
                variant="danger"
                write={false}
                data-testid="move-cancel"
                onClick={() => setConfirming(true)}
              >
                {t("move.run.cancel")}
              </Button>
            )}
          </div>
        )}
      </div>
    </Card>
  );
}
