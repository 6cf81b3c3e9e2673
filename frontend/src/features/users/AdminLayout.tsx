import { Outlet, useLocation, useNavigate } from "react-router";
import { RequireRole } from "../../auth/guards";
import { rolesFor } from "../../auth/permissions";
import { Tabs } from "../../components/Tabs";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

// One top-bar entry for the admin's pages keeps the bar on one row in every language.
const SECTIONS: { id: string; to: string; label: MessageKey }[] = [
  { id: "users", to: "/admin/users", label: "admin.users" },
  { id: "terms", to: "/admin/terms", label: "admin.terms" },
  { id: "trash", to: "/admin/trash", label: "admin.trash" },
];

/** The admin's pages (accounts, terms, trash): one tab per section above the section's page. */
export function AdminLayout() {
  const t = useT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = SECTIONS.find((section) => pathname.startsWith(section.to))?.id ?? "users";
  return (
    <RequireRole roles={rolesFor("users.manage")}>
      <Tabs
        label={t("admin.label")}
        idPrefix="admin"
        items={SECTIONS.map(({ id, label }) => ({ id, label: t(label) }))}
        selected={current}
        onSelect={(id) => void navigate(SECTIONS.find((section) => section.id === id)?.to ?? "/admin")}
      />
      <div role="tabpanel" id={`admin-panel-${current}`} aria-labelledby={`admin-tab-${current}`}>
        <Outlet />
      </div>
    </RequireRole>
  );
}
