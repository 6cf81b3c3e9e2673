import type { ReactNode } from "react";
import { Button } from "./Button";
import { Alert, ErrorAlert } from "./Feedback";

/**
 * The foot of a sheet that is saved at once (attendance, grades): what went wrong or was saved, and
 * Save. It sticks to the bottom of the window, so Save is in reach on a class of hundreds.
 */
export function SaveBar({
  save,
  saved,
  label,
  disabled,
  summary,
}: {
  save: { error: unknown; isPending: boolean };
  /** The sentence for the last save, null before one succeeded. */
  saved: string | null;
  label: string;
  disabled: boolean;
  /** What the sheet holds now, beside Save ("12 of 30 marked", "2 grades out of range"). */
  summary?: ReactNode;
}) {
  return (
    <div className="save-bar" data-testid="save-bar">
      <ErrorAlert error={save.error} />
      {saved && <Alert tone="ok">{saved}</Alert>}
      <div className="row" style={{ alignItems: "center" }}>
        <Button type="submit" variant="primary" busy={save.isPending} disabled={disabled}>
          {label}
        </Button>
        {summary && <span aria-live="polite">{summary}</span>}
      </div>
    </div>
  );
}
