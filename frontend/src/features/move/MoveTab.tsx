import { useState } from "react";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert, Loading } from "../../components/Feedback";
import { useI18n } from "../../i18n/I18nProvider";
import { useDatabaseHealth } from "../control/useHealth";
import { ConnectionStep, type TestedConnection } from "./ConnectionStep";
import { isActive, useCurrentJob, type MoveJob } from "./moveApi";
import { ReadinessStep } from "./ReadinessStep";
import { ResultStep } from "./ResultStep";
import { RunStep } from "./RunStep";

const STEPS = ["connection", "readiness", "dryRun", "move", "result"] as const;
type Step = (typeof STEPS)[number];

/** Control Panel → Move to PostgreSQL: on SQLite the guided move, on PostgreSQL a note that it is done. */
export function MoveTab() {
  const { t } = useI18n();
  const health = useDatabaseHealth();
  if (health.isPending) return <Loading />;
  if (health.error) return <ErrorAlert error={health.error} />;
  if (health.data.engine === "postgresql") {
    return (
      <Alert tone="ok" title={t("move.onPostgresTitle")}>
        <p data-testid="move-done">{t("move.onPostgresBody")}</p>
      </Alert>
    );
  }
  return <MoveWizard />;
}

/** Where a (re)loaded page starts: the latest job's step (a finished move's result), else step 1. */
function landing(job: MoveJob | null): Step {
  if (!job) return "connection";
  if (job.kind === "dry_run") return "dryRun";
  return job.state === "succeeded" ? "result" : "move";
}

function MoveWizard() {
  const { t } = useI18n();
  const current = useCurrentJob();
  const [chosen, setChosen] = useState<Step | null>(null);
  const [tested, setTested] = useState<TestedConnection | null>(null);
  const [ready, setReady] = useState(false);
  const [encoding, setEncoding] = useState<string | null>(null);
  const job = current.data ?? null;
  const moved = job?.kind === "move" && job.state === "succeeded";
  // A job in progress, or a finished move, holds the wizard on its own step (so a move that
  // finishes while watched shows its result).
  const locked = isActive(job) || moved;
  const step: Step = locked || chosen === null ? landing(job) : chosen;

  if (current.isPending) return <Loading />;
  const index = STEPS.indexOf(step);
  const mayGoOn: Record<Step, boolean> = {
    connection: tested !== null,
    readiness: ready,
    dryRun: job?.kind === "dry_run" && job.state === "succeeded",
    move: false,
    result: false,
  };

  return (
    <div className="stack" data-testid="move-wizard" data-step={step}>
      <p className="muted" style={{ margin: 0 }}>
        {t("move.description")}
      </p>
      <ErrorAlert error={current.error} />
      <nav aria-label={t("move.steps")}>
        <ol className="row" style={{ listStyle: "none", padding: 0, margin: 0, gap: 8 }}>
          {STEPS.map((id, position) => (
            <li key={id}>
              <Button
                size="sm"
                variant={id === step ? "primary" : "ghost"}
                aria-current={id === step ? "step" : undefined}
                // Back to any earlier step while nothing runs; forward only through Next.
                disabled={id !== step && (locked || position > index)}
                onClick={() => setChosen(id)}
              >
                {position + 1}. {t(`move.step.${id}`)}
              </Button>
            </li>
          ))}
        </ol>
      </nav>

      {step === "connection" && <ConnectionStep onTested={setTested} />}
      {step === "readiness" && <ReadinessStep onReady={setReady} />}
      {step === "dryRun" && (
        <RunStep kind="dry_run" job={job} tested={tested} encoding={encoding} onEncoding={setEncoding} />
      )}
      {step === "move" && (
        <RunStep kind="move" job={job} tested={tested} encoding={encoding} onEncoding={setEncoding} />
      )}
      {step === "result" && job && <ResultStep job={job} />}

      {!locked && step !== "result" && step !== "move" && (
        <div className="row">
          {index > 0 && (
            <Button onClick={() => setChosen(STEPS[index - 1] ?? "connection")}>{t("move.back")}</Button>
          )}
          <Button
            variant="primary"
            disabled={!mayGoOn[step]}
            data-testid="move-next"
            onClick={() => setChosen(STEPS[index + 1] ?? step)}
          >
            {t("move.next")}
          </Button>
        </div>
      )}
    </div>
  );
}
