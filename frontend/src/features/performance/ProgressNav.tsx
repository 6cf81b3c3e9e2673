import { NavLink } from "react-router";
import { useT } from "../../i18n/I18nProvider";

const ACTIVE = { color: "var(--primary)", borderBottomColor: "var(--primary)" };

/** The two pages of a student's progress under one top-bar entry: daily scores and highlights. */
export function ProgressNav() {
  const t = useT();
  return (
    <nav className="tabs" aria-label={t("nav.progress")}>
      <NavLink to="/performance" className="tab" style={({ isActive }) => (isActive ? ACTIVE : undefined)}>
        {t("performance.title")}
      </NavLink>
      <NavLink to="/highlights" className="tab" style={({ isActive }) => (isActive ? ACTIVE : undefined)}>
        {t("highlights.title")}
      </NavLink>
    </nav>
  );
}
