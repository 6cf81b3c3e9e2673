import { useState, type FormEvent } from "react";
import { fieldError } from "../../api/errors";
import { Button } from "../../components/Button";
import { ErrorAlert } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import { useI18n } from "../../i18n/I18nProvider";
import type { Period } from "./api";

/** Name, first and last day of an academic year or a term; the server's refusals shown on their fields. */
export function PeriodForm({
  label,
  initial,
  namePlaceholder,
  busy,
  error,
  onSave,
  onCancel,
}: {
  label: string;
  initial?: Period | undefined;
  namePlaceholder: string;
  busy: boolean;
  error: unknown;
  onSave: (period: Period) => void;
  onCancel: () => void;
}) {
  const words = useI18n();
  const { t } = words;
  const [form, setForm] = useState<Period>(initial ?? { name: "", starts_on: "", ends_on: "" });
  const field = (name: keyof Period) => ({
    name,
    value: form[name],
    error: fieldError(error, name, words),
    onChange: (event: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [name]: event.target.value })),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    onSave({ ...form, name: form.name.trim() });
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label={label}>
      <ErrorAlert error={error} />
      <div className="form-grid">
        <TextField label={t("terms.name")} required placeholder={namePlaceholder} {...field("name")} />
        <TextField label={t("terms.startsOn")} type="date" required {...field("starts_on")} />
        <TextField label={t("terms.endsOn")} type="date" required {...field("ends_on")} />
      </div>
      <div className="row">
        <Button type="submit" variant="primary" busy={busy}>
          {t("common.save")}
        </Button>
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
      </div>
    </form>
  );
}
