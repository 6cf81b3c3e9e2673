import { Navigate, useNavigate, useParams } from "react-router";
import { PageHeader } from "../../components/Layout";
import { Tabs } from "../../components/Tabs";
import { useT } from "../../i18n/I18nProvider";
import { ReadOnlySwitchTab } from "../maintenance/ReadOnlySwitchTab";
import { MoveTab } from "../move/MoveTab";
import { BackupsTab } from "./BackupsTab";
import { DatabaseHealthTab } from "./DatabaseHealthTab";
import { MigrationReadinessTab } from "./MigrationReadinessTab";

const TABS = ["health", "backups", "migration", "move", "read-only"] as const;
type Tab = (typeof TABS)[number];

export function ControlPanelPage() {
  const t = useT();
  const navigate = useNavigate();
  const { tab } = useParams();
  if (!TABS.includes(tab as Tab)) return <Navigate to="/control/health" replace />;
  const current = tab as Tab;
  const labels: Record<Tab, string> = {
    health: t("control.tabHealth"),
    backups: t("control.tabBackups"),
    migration: t("control.tabMigration"),
    move: t("control.tabMove"),
    "read-only": t("control.tabReadOnly"),
  };

  return (
    <>
      <PageHeader title={t("control.title")} description={t("control.description")} />
      <Tabs
        label={t("control.title")}
        idPrefix="control"
        items={TABS.map((id) => ({ id, label: labels[id] }))}
        selected={current}
        onSelect={(id) => void navigate(`/control/${id}`)}
      />
      <div role="tabpanel" id={`control-panel-${current}`} aria-labelledby={`control-tab-${current}`}>
        {current === "health" && <DatabaseHealthTab />}
        {current === "backups" && <BackupsTab />}
        {current === "migration" && <MigrationReadinessTab />}
        {current === "move" && <MoveTab />}
        {current === "read-only" && <ReadOnlySwitchTab />}
      </div>
    </>
  );
}
