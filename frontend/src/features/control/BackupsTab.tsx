import { useState } from "react";
import { Button } from "../../components/Button";
import { Alert, Badge, Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { DataTable } from "../../components/DataTable";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { formatBytes, formatDateTime } from "../../lib/format";
import { downloadBackup, useBackups, useCreateBackup, useDeleteBackup, useRestoreBackup } from "./backupsApi";
import { EngineBadge } from "./EngineBadge";
import { isUnavailable } from "./unavailable";
import { useDatabaseHealth } from "./useHealth";

type Pending = { action: "restore" | "delete"; name: string } | null;

export function BackupsTab() {
  const { t, locale } = useI18n();
  const health = useDatabaseHealth();
  const backups = useBackups();
  const create = useCreateBackup();
  const remove = useDeleteBackup();
  const restore = useRestoreBackup();
  const [pending, setPending] = useState<Pending>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const engine = health.data?.engine;
  const tool = engine === "postgresql" ? t("backups.toolPostgres") : t("backups.toolSqlite");

  if (backups.isPending) return <Loading />;
  if (isUnavailable(backups.error)) {
    return (
      <Card title={t("backups.title")} labelledBy="backups-title">
        <Alert tone="info" title={t("backups.unavailableTitle")}>
          <p>{t("backups.unavailableBody", { tool })}</p>
          <p>{t("backups.cli")}</p>
          <pre className="code-block">python -m backend.scripts.backup create</pre>
        </Alert>
      </Card>
    );
  }

  async function confirm() {
    if (!pending) return;
    const { action, name } = pending;
    setDone(null);
    if (action === "restore") await restore.mutateAsync(name);
    else await remove.mutateAsync(name);
    setPending(null);
    setDone(action === "restore" ? t("backups.restored", { name }) : t("backups.deleted", { name }));
  }

  return (
    <div className="stack">
      <Card
        title={t("backups.title")}
        labelledBy="backups-title"
        description={t("backups.description", { tool })}
        actions={
          <>
            {engine && <EngineBadge engine={engine} />}
            <Button
              variant="primary"
              write
              busy={create.isPending}
              onClick={() => {
                setDone(null);
                create.mutate(undefined, { onSuccess: () => setDone(t("backups.created")) });
              }}
            >
              {t("backups.create")}
            </Button>
          </>
        }
      >
        <div className="stack">
          {done && <Alert tone="ok">{done}</Alert>}
          <ErrorAlert
            error={backups.error ?? create.error ?? remove.error ?? restore.error ?? downloadError}
          />
          {pending && (
            <Alert
              tone="warn"
              title={
                pending.action === "restore"
                  ? t("backups.confirmRestoreTitle")
                  : t("backups.confirmDeleteTitle")
              }
            >
              <p>
                {pending.action === "restore"
                  ? t("backups.confirmRestoreBody", { name: pending.name })
                  : t("backups.confirmDeleteBody", { name: pending.name })}
              </p>
              <div className="row" style={{ marginTop: 8 }}>
                <Button
                  variant="danger"
                  busy={restore.isPending || remove.isPending}
                  onClick={() => void confirm().catch(() => undefined)}
                >
                  {pending.action === "restore" ? t("backups.confirmRestore") : t("backups.confirmDelete")}
                </Button>
                <Button onClick={() => setPending(null)}>{t("common.cancel")}</Button>
              </div>
            </Alert>
          )}
          {backups.data && backups.data.length === 0 ? (
            <Empty>{t("backups.none")}</Empty>
          ) : (
            <DataTable
              rows={backups.data ?? []}
              rowKey={(backup) => backup.name}
              columns={[
                {
                  key: "name",
                  header: t("backups.name"),
                  cellClassName: "mono",
                  cell: (backup) => backup.name,
                },
                {
                  key: "engine",
                  header: t("backups.engine"),
                  cell: (backup) => (backup.engine ? <Badge tone="info">{backup.engine}</Badge> : "—"),
                },
                {
                  key: "created_at",
                  header: t("backups.created_at"),
                  cell: (backup) => formatDateTime(backup.created_at, locale),
                },
                {
                  key: "size",
                  header: t("backups.size"),
                  className: "num",
                  cell: (backup) => formatBytes(backup.size_bytes, locale),
                },
                {
                  key: "actions",
                  header: t("common.actions"),
                  hiddenHeader: true,
                  cell: (backup) => (
                    <div className="row" style={{ justifyContent: "flex-end" }}>
                      <Button
                        size="sm"
                        aria-label={t("backups.downloadNamed", { name: backup.name })}
                        onClick={() => {
                          setDownloadError(null);
                          downloadBackup(backup.name).catch(setDownloadError);
                        }}
                      >
                        {t("backups.download")}
                      </Button>
                      <Button
                        size="sm"
                        write
                        aria-label={t("backups.restoreNamed", { name: backup.name })}
                        onClick={() => setPending({ action: "restore", name: backup.name })}
                      >
                        {t("backups.restore")}
                      </Button>
                      <Button
                        size="sm"
                        variant="danger"
                        aria-label={t("backups.deleteNamed", { name: backup.name })}
                        onClick={() => setPending({ action: "delete", name: backup.name })}
                      >
                        {t("common.delete")}
                      </Button>
                    </div>
                  ),
                },
              ]}
            />
          )}
        </div>
      </Card>
    </div>
  );
}
