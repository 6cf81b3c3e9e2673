import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { codeMessage, fieldError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import { Card, PageHeader } from "../../components/Layout";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import {
  checkPasswordForm,
  MIN_PASSWORD_LENGTH,
  type PasswordField,
  type PasswordForm,
  type Refusal,
} from "./passwordRules";

const EMPTY: PasswordForm = { current_password: "", new_password: "", confirm_password: "" };

const FIELDS: { name: PasswordField; label: MessageKey; autoComplete: string }[] = [
  { name: "current_password", label: "password.current", autoComplete: "current-password" },
  { name: "new_password", label: "password.new", autoComplete: "new-password" },
  { name: "confirm_password", label: "password.confirm", autoComplete: "new-password" },
];

/**
 * Change one's own password: the current one, the new one twice. It is also the first-login
 * walk-through: an account that must change its password sees only this page, with why, and
 * goes on to the dashboard once it is done.
 */
export function ChangePasswordPage() {
  const words = useI18n();
  const { t } = words;
  const { user, changePassword } = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState<PasswordForm>(EMPTY);
  const [refusals, setRefusals] = useState<Partial<Record<PasswordField, Refusal>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);
  if (!user) return null;
  const firstLogin = user.must_change_password;

  function message(name: PasswordField): string | undefined {
    const refusal = refusals[name];
    if (refusal) return codeMessage(refusal.code, refusal.params ?? {}, words) ?? undefined;
    return fieldError(error, name, words);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = checkPasswordForm(form, user!.email);
    setRefusals(found);
    setError(null);
    setChanged(false);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await changePassword(form.current_password, form.new_password);
      setForm(EMPTY);
      if (firstLogin) void navigate("/", { replace: true });
      else setChanged(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title={t("password.title")} description={t("password.description")} />
      <Card>
        <form className="stack narrow" onSubmit={onSubmit} noValidate>
          {firstLogin && (
            <Alert tone="info" title={t("password.firstTitle")}>
              {t("password.firstBody")}
            </Alert>
          )}
          {changed && <Alert tone="ok">{t("password.changed")}</Alert>}
          <ErrorAlert error={error} />
          {FIELDS.map((field) => (
            <TextField
              key={field.name}
              label={t(field.label)}
              type="password"
              name={field.name}
              autoComplete={field.autoComplete}
              required
              value={form[field.name]}
              error={message(field.name)}
              hint={
                field.name === "new_password"
                  ? t("password.hint", { min_length: MIN_PASSWORD_LENGTH })
                  : undefined
              }
              onChange={(event) => setForm({ ...form, [field.name]: event.target.value })}
            />
          ))}
          <div>
            <Button type="submit" variant="primary" busy={busy}>
              {t("password.submit")}
            </Button>
          </div>
        </form>
      </Card>
    </>
  );
}
