import { useState } from "react";
import { useNavigate } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
import { CHANGE_PASSWORD_PATH } from "../../auth/guards";
import { Button, ButtonLink } from "../../components/Button";
import { ErrorAlert } from "../../components/Feedback";
import { KeyValueList } from "../../components/KeyValueList";
import { Card, PageHeader } from "../../components/Layout";
import { useT } from "../../i18n/I18nProvider";

/** The logged-in user's profile: who they are, a password change, and logging out everywhere. */
export function AccountPage() {
  const t = useT();
  const { user, logoutEverywhere } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!user) return null;

  async function endEverySession() {
    setBusy(true);
    setError(null);
    try {
      await logoutEverywhere();
      void navigate("/login", { replace: true });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader
        title={t("account.title")}
        actions={<ButtonLink to={CHANGE_PASSWORD_PATH}>{t("password.title")}</ButtonLink>}
      />
      <div className="grid grid-2">
        <Card title={t("account.profile")} labelledBy="account-profile">
          <KeyValueList
            items={[
              { label: t("account.name"), value: user.full_name || "—" },
              { label: t("account.email"), value: user.email, className: "mono" },
              { label: t("account.role"), value: t(`roles.${user.role}`) },
            ]}
          />
        </Card>
        <Card
          title={t("account.sessions")}
          labelledBy="account-sessions"
          description={t("account.sessionsHint")}
        >
          <div className="stack">
            <ErrorAlert error={error} />
            <div>
              <Button variant="danger" write={false} busy={busy} onClick={() => void endEverySession()}>
                {t("auth.logoutEverywhere")}
              </Button>
            </div>
          </div>
        </Card>
      </div>
    </>
  );
}
