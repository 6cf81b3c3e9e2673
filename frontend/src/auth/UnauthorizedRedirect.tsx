import { useEffect } from "react";
import { useLocation, useNavigate } from "react-router";
import { setUnauthorizedHandler } from "../api/http";
import { loginPath } from "../features/auth/loginSearch";
import { useAuth } from "./AuthProvider";

/** A 401 from any call ends the session and sends the user to log in, then back here. */
export function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  const { logout } = useAuth();

  useEffect(() => {
    setUnauthorizedHandler(() => {
      logout();
      if (location.pathname === "/login") return;
      void navigate(loginPath(location.pathname + location.search, { expired: true }), { replace: true });
    });
  }, [navigate, location, logout]);

  return null;
}
