import { useState } from "react";
import { fieldError } from "../../api/errors";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import { useI18n } from "../../i18n/I18nProvider";
import { todayIso } from "../../lib/dates";
import { listName } from "../students/names";
import { useDrop, type ClassListEntry } from "./classListApi";

/** Drop one student: the day they left (not ahead of today) and why; the row stays as history. */
export function DropStudent({
  courseId,
  entry,
  onDone,
}: {
  courseId: number;
  entry: ClassListEntry;
  onDone: () => void;
}) {
  const { t, locale } = useI18n();
  const drop = useDrop(courseId);
  const [droppedOn, setDroppedOn] = useState(todayIso());
  const [reason, setReason] = useState("");
  const name = listName(entry);
  return (
    <Alert tone="warn" title={t("classList.dropTitle", { name })}>
      <form
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          drop.mutate(
            { enrollmentId: entry.enrollment_id, droppedOn, reason: reason.trim() },
            { onSuccess: onDone },
          );
        }}
      >
        <p>{t("classList.dropBody")}</p>
        <div className="row">
          <TextField
            label={t("classList.droppedOn")}
            type="date"
            max={todayIso()}
            value={droppedOn}
            error={fieldError(drop.error, "dropped_on", { t, locale })}
            onChange={(event) => setDroppedOn(event.target.value)}
          />
          <TextField
            label={t("classList.reason")}
            value={reason}
            required
            style={{ minWidth: 280 }}
            error={fieldError(drop.error, "reason", { t, locale })}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <ErrorAlert error={drop.error} />
        <div className="row">
          <Button type="submit" variant="danger" busy={drop.isPending} disabled={reason.trim() === ""}>
            {t("classList.drop")}
          </Button>
          <Button onClick={onDone}>{t("common.cancel")}</Button>
        </div>
      </form>
    </Alert>
  );
}
