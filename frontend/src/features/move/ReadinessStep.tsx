import { Link } from "react-router";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { useReadinessCheck } from "../control/readinessApi";
import { ReadinessTables, readinessTitle } from "../control/ReadinessTables";

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
          <Alert tone={report.ready ? "ok" : "error"} title={readinessTitle(report, t, locale)}>
            <p>
              <Link to="/control/migration">{t("move.readiness.details")}</Link>
            </p>
          </Alert>
          <ReadinessTables report={report} scroll={false} />
        </div>
      )}
    </Card>
  );
}
