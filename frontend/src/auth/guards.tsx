import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { Alert, Loading } from "../components/Feedback";
import { loginPath } from "../features/auth/loginSearch";
import { useT } from "../i18n/I18nProvider";
import { useAuth, type Role } from "./AuthProvider";

/** The one page an account that owes a password change may see. */
export const CHANGE_PASSWORD_PATH = "/account/password";

/**
 * Pages behind a login: no session sends the user to /login and back here afterwards; an account
 * that must choose a new password (first login, or after an admin's reset) sees only that page.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, checking } = useAuth();
  const location = useLocation();
  if (checking) return <Loading />;
  if (!user) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }
  if (user.must_change_password && location.pathname !== CHANGE_PASSWORD_PATH) {
    return <Navigate to={CHANGE_PASSWORD_PATH} replace />;
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
