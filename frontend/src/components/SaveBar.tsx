import { Button } from "./Button";
import { Alert, ErrorAlert } from "./Feedback";

/** The foot of a sheet that is saved at once (attendance, grades): what went wrong or was saved, and Save. */
export function SaveBar({
  save,
  saved,
  label,
  disabled,
}: {
  save: { error: unknown; isPending: boolean };
  /** The sentence for the last save, null before one succeeded. */
  saved: string | null;
  label: string;
  disabled: boolean;
}) {
  return (
    <>
      <ErrorAlert error={save.error} />
      {saved && <Alert tone="ok">{saved}</Alert>}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending} disabled={disabled}>
          {label}
        </Button>
      </div>
    </>
  );
}
