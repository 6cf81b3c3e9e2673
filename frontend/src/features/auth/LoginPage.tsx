import { useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router";
import { fieldError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { CHANGE_PASSWORD_PATH } from "../../auth/guards";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { useSearch } from "../../lib/searchParams";
import { LanguageSelect, ThemeToggle } from "../../layout/Preferences";
import { loginSearch } from "./loginSearch";

export function LoginPage() {
  const t = useT();
  const { user, login } = useAuth();
  const navigate = useNavigate();
  const [{ next, expired }] = useSearch(loginSearch);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to={next} replace />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const account = await login(email.trim(), password);
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
          <TextField
            label={t("login.email")}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            error={fieldError(error, "email")}
            onChange={(event) => setEmail(event.target.value)}
          />
          <TextField
            label={t("login.password")}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            error={fieldError(error, "password")}
            onChange={(event) => setPassword(event.target.value)}
          />
          <Button type="submit" variant="primary" busy={busy}>
            {t("login.submit")}
          </Button>
        </form>
      </div>
    </main>
  );
}
