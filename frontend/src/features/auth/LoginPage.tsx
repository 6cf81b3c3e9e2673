import { useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router";
import { fieldError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { CHANGE_PASSWORD_PATH } from "../../auth/guards";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { useSearch } from "../../lib/searchParams";
import { LanguageSelect, ThemeToggle } from "../../layout/Preferences";
import { loginSearch } from "./loginSearch";

const FIELDS: { name: "email" | "password"; label: MessageKey; type: string; autoComplete: string }[] = [
  { name: "email", label: "login.email", type: "email", autoComplete: "username" },
  { name: "password", label: "login.password", type: "password", autoComplete: "current-password" },
];

export function LoginPage() {
  const words = useI18n();
  const { t } = words;
  const { user, login } = useAuth();
  const navigate = useNavigate();
  const [{ next, expired }] = useSearch(loginSearch);
  const [values, setValues] = useState({ email: "", password: "" });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to={next} replace />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const account = await login(values.email.trim(), values.password);
      // A password set at installation or by an admin is replaced before anything else.
      void navigate(account.must_change_password ? CHANGE_PASSWORD_PATH : next, { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login-wrap">
      <div className="login-card">
        <div className="login-tools">
          <LanguageSelect />
          <ThemeToggle />
        </div>
        <form className="card stack" onSubmit={onSubmit} noValidate aria-labelledby="login-title">
          <div className="brand">
            <img className="brand-mark" src="/favicon.svg" alt="" />
            <span>{t("app.name")}</span>
          </div>
          <div>
            <h1 id="login-title">{t("login.title")}</h1>
            <p className="muted">{t("login.subtitle")}</p>
          </div>
          {expired && !error && <Alert tone="info">{t("login.expired")}</Alert>}
          <ErrorAlert error={error} />
          {FIELDS.map((field) => (
            <TextField
              key={field.name}
              label={t(field.label)}
              type={field.type}
              name={field.name}
              autoComplete={field.autoComplete}
              required
              value={values[field.name]}
              error={fieldError(error, field.name, words)}
              onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
            />
          ))}
          <Button type="submit" variant="primary" busy={busy}>
            {t("login.submit")}
          </Button>
        </form>
      </div>
    </main>
  );
}
