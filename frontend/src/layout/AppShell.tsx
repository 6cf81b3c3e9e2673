import { NavLink, Outlet, useNavigate } from "react-router";
import { useAuth } from "../auth/AuthProvider";
import { can, type Action } from "../auth/permissions";
import { Button } from "../components/Button";
import { useT } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/en";
import { LanguageSelect, ThemeToggle } from "./Preferences";

// Each entry shows only to those who may take its action (auth/permissions.ts).
// A teacher's home is their classes (features/classes/HomePage.tsx); others' is the dashboard.
const NAV: { to: string; label: MessageKey; action?: Action; end?: boolean; teacher?: boolean }[] = [
  { to: "/", label: "nav.dashboard", end: true, teacher: false },
  { to: "/", label: "nav.classes", end: true, teacher: true },
  { to: "/students", label: "nav.students" },
  { to: "/courses", label: "nav.courses" },
  { to: "/attendance", label: "nav.attendance" },
  { to: "/grades", label: "nav.grades" },
  { to: "/performance", label: "nav.progress" },
  { to: "/admin", label: "admin.label", action: "users.manage" },
  { to: "/control", label: "nav.control", action: "control.view" },
];

export function AppShell() {
  const t = useT();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  // Until an owed password change is done, the change-password page is the only place to go.
  const mayNavigate = user !== null && !user.must_change_password;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("common.skipToContent")}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <NavLink to="/" className="brand">
            <img className="brand-mark" src="/favicon.svg" alt="" />
            <span className="brand-name">{t("app.name")}</span>
          </NavLink>
          <nav className="nav" aria-label={t("nav.label")}>
            {mayNavigate &&
              NAV.filter(
                (item) =>
                  (!item.action || can(user, item.action)) &&
                  (item.teacher === undefined || item.teacher === (user.role === "teacher")),
              ).map((item) => (
                <NavLink key={item.to} to={item.to} end={item.end}>
                  {t(item.label)}
                </NavLink>
              ))}
          </nav>
          <div className="topbar-tools">
            <LanguageSelect />
            <ThemeToggle />
            {user &&
              (mayNavigate ? (
                <NavLink
                  to="/account"
                  className="user-chip"
                  title={`${user.email} · ${t(`roles.${user.role}`)}`}
                  aria-label={t("account.open", { name: user.full_name || user.email })}
                >
                  {user.full_name || user.email}
                </NavLink>
              ) : (
                <span className="user-chip">{user.full_name || user.email}</span>
              ))}
            <Button
              variant="ghost"
              onClick={() => {
                void logout().then(() => navigate("/login"));
              }}
            >
              {t("auth.logout")}
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
