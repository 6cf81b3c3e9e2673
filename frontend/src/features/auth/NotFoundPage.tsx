import { ButtonLink } from "../../components/Button";
import { Alert } from "../../components/Feedback";
import { useT } from "../../i18n/I18nProvider";

export function NotFoundPage() {
  const t = useT();
  return (
    <div className="stack">
      <Alert tone="info" title={t("notFound.title")}>
        {t("notFound.body")}
      </Alert>
      <div>
        <ButtonLink to="/">{t("nav.dashboard")}</ButtonLink>
      </div>
    </div>
  );
}
