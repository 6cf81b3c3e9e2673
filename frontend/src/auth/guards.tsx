import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { Alert, Loading } from "../components/Feedback";
import { loginPath } from "../features/auth/loginSearch";
import { useT } from "../i18n/I18nProvider";
import { useAuth, type Role } from "./AuthProvider";

/** Pages behind a login: no session sends the user to /login and back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, checking } = useAuth();
  const location = useLocation();
  if (checking) return <Loading />;
  if (!user) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }
  return <>{children}</>;
}

/** Pages for some roles only; others see why, not a blank page. */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { hasRole } = useAuth();
  const t = useT();
  if (!hasRole(...roles)) {
    return (
      <Alert tone="warn" title={t("auth.forbiddenTitle")}>
        {t("auth.forbiddenBody")}
      </Alert>
    );
  }
  return <>{children}</>;
}
