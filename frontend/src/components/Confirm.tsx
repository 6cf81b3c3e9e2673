import type { ReactNode } from "react";
import { useT } from "../i18n/I18nProvider";
import { Button } from "./Button";
import { Alert, ErrorAlert } from "./Feedback";

/** Asks before something that cannot be undone (deleting a grade, a score): what happens, Confirm, Cancel. */
export function Confirm({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  error,
}: {
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  error?: unknown;
}) {
  const t = useT();
  return (
    <Alert tone="warn" title={title}>
      <div className="stack">
        {children}
        <ErrorAlert error={error} />
        <div className="row">
          <Button variant="danger" busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
          <Button onClick={onCancel}>{t("common.cancel")}</Button>
        </div>
      </div>
    </Alert>
  );
}
