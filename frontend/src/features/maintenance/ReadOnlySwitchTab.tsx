import { useState, type FormEvent } from "react";
import { fieldError } from "../../api/errors";
import { Button } from "../../components/Button";
import { Alert, Badge, ErrorAlert, Loading } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import { KeyValueList } from "../../components/KeyValueList";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { useMaintenanceStatus, useSwitchMaintenance } from "./maintenanceApi";
import { reasonText } from "./reasons";

// The API's limit (backend/schemas/maintenance.py REASON_MAX_LENGTH).
const REASON_MAX = 500;

/** Control Panel → Read-only mode: the state, and the switch (admin; every switch is audited). */
export function ReadOnlySwitchTab() {
  const words = useI18n();
  const { t, locale } = words;
  const status = useMaintenanceStatus();
  const change = useSwitchMaintenance();
  const [reason, setReason] = useState("");

  if (status.isPending) return <Loading />;
  if (status.error) return <ErrorAlert error={status.error} />;
  const state = status.data;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = reason.trim();
    change.mutate(state.read_only ? { read_only: false } : { read_only: true, reason: typed || null }, {
      onSuccess: () => setReason(""),
    });
  };

  return (
    <div className="stack">
      <Card
        title={t("maintenance.switch.title")}
        labelledBy="read-only-title"
        description={t("maintenance.switch.description")}
      >
        <KeyValueList
          items={[
            {
              label: t("maintenance.switch.state"),
              value: (
                <Badge tone={state.read_only ? "warn" : "ok"}>
                  {state.read_only ? t("maintenance.switch.on") : t("maintenance.switch.off")}
                </Badge>
              ),
              testId: "read-only-state",
            },
            state.read_only && {
              label: t("maintenance.switch.reason"),
              value: reasonText(state.reason, t),
              testId: "read-only-reason",
            },
            { label: t("maintenance.switch.since"), value: formatDateTime(state.since, locale) },
            { label: t("maintenance.switch.setBy"), value: state.set_by ?? "—", className: "mono" },
          ]}
        />
        <form className="stack" onSubmit={submit} noValidate aria-label={t("maintenance.switch.title")}>
          {!state.read_only && (
            <TextField
              label={t("maintenance.switch.reasonLabel")}
              hint={t("maintenance.switch.reasonHint")}
              value={reason}
              maxLength={REASON_MAX}
              onChange={(event) => setReason(event.target.value)}
              error={fieldError(change.error, "reason", words)}
            />
          )}
          <ErrorAlert error={change.error} />
          {state.read_only && state.reason === "moving to PostgreSQL" && (
            <Alert tone="info">{t("maintenance.switch.moveHint")}</Alert>
          )}
          <div className="row">
            {/* The switch itself is allowed in read-only mode (backend/api/read_only.py EXEMPT). */}
            <Button
              type="submit"
              write={false}
              variant={state.read_only ? "primary" : "danger"}
              busy={change.isPending}
              data-testid="read-only-switch"
            >
              {state.read_only ? t("maintenance.switch.turnOff") : t("maintenance.switch.turnOn")}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
