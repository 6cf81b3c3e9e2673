import { useEffect } from "react";
import { useLocation, useNavigate } from "react-router";
import { setPasswordChangeHandler, setUnauthorizedHandler } from "../api/http";
import { loginPath } from "../features/auth/loginSearch";
import { useAuth } from "./AuthProvider";

/**
 * A 401 from any call ends the session and sends the user to log in, then back here; a 403
 * password_change_required marks the account, and the guard then shows the change-password page.
 */
export function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  const { forget, requirePasswordChange } = useAuth();

  useEffect(() => {
    setUnauthorizedHandler(() => {
      forget();
      if (location.pathname === "/login") return;
      void navigate(loginPath(location.pathname + location.search, { expired: true }), { replace: true });
    });
  }, [navigate, location, forget]);

  useEffect(() => setPasswordChangeHandler(requirePasswordChange), [requirePasswordChange]);

  return null;
}
