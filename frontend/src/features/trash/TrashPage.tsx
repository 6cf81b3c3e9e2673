import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { DataTable } from "../../components/DataTable";
import { Card, PageHeader } from "../../components/Layout";
import { QueryResult } from "../../components/QueryResult";
import { Tabs } from "../../components/Tabs";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { useDeleted, useRestore, type TrashKind, type TrashRow } from "./api";
import { EraseConfirm, PurgeDone } from "./EraseConfirm";
import type { PurgeReport } from "./api";

const KINDS: TrashKind[] = ["student", "course"];

/** Deleted students and courses (admins): bring one back, or erase it and all it holds for good. */
export function TrashPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { kind: param } = useParams();
  const kind: TrashKind = param === "course" ? "course" : "student";
  return (
    <>
      <PageHeader title={t("trash.title")} description={t("trash.description")} />
      <Tabs
        label={t("trash.title")}
        idPrefix="trash"
        items={KINDS.map((id) => ({ id, label: t(`trash.kind.${id}`) }))}
        selected={kind}
        onSelect={(id) => void navigate(`/admin/trash/${id}`)}
      />
      <div role="tabpanel" id={`trash-panel-${kind}`} aria-labelledby={`trash-tab-${kind}`}>
        <DeletedList key={kind} kind={kind} />
      </div>
    </>
  );
}

function DeletedList({ kind }: { kind: TrashKind }) {
  const { t, locale } = useI18n();
  const deleted = useDeleted(kind);
  const restore = useRestore(kind);
  const [erasing, setErasing] = useState<TrashRow | null>(null);
  const [restored, setRestored] = useState<TrashRow | null>(null);
  const [report, setReport] = useState<{ row: TrashRow; report: PurgeReport } | null>(null);

  return (
    <Card>
      <div className="stack">
        <ErrorAlert error={restore.error} />
        {restored && <Alert tone="ok">{t("trash.restored", { name: restored.name })}</Alert>}
        {report && <PurgeDone name={report.row.name} report={report.report} />}
        {erasing && (
          <EraseConfirm
            kind={kind}
            row={erasing}
            onCancel={() => setErasing(null)}
            onErased={(done) => {
              setErasing(null);
              setRestored(null);
              setReport({ row: erasing, report: done });
            }}
          />
        )}
        {deleted.data && !deleted.data.complete && <Alert tone="warn">{t("trash.partial")}</Alert>}
        <QueryResult
          query={deleted}
          isEmpty={(found) => found.rows.length === 0}
          empty={t(`trash.empty.${kind}`)}
        >
          {(found) => (
            <DataTable
              rows={found.rows}
              rowKey={(row) => row.id}
              caption={t(`trash.kind.${kind}`)}
              testId={`trash-${kind}`}
              columns={[
                {
                  key: "code",
                  header: t(`trash.code.${kind}`),
                  cellClassName: "mono",
                  cell: (row) => row.code,
                },
                { key: "name", header: t("trash.name"), rowHeader: true, cell: (row) => row.name },
                {
                  key: "deleted_at",
                  header: t("trash.deletedAt"),
                  cell: (row) => formatDateTime(row.deletedAt, locale),
                },
                {
                  key: "actions",
                  header: t("common.actions"),
                  hiddenHeader: true,
                  cell: (row) => (
                    <div className="row">
                      <Button
                        size="sm"
                        write
                        busy={restore.isPending && restore.variables === row.id}
                        aria-label={t("trash.restoreNamed", { name: row.name })}
                        onClick={() =>
                          restore.mutate(row.id, {
                            onSuccess: () => {
                              setReport(null);
                              setRestored(row);
                            },
                          })
                        }
                      >
                        {t("trash.restore")}
                      </Button>
                      <Button
                        size="sm"
                        variant="danger"
                        aria-label={t("trash.eraseNamed", { name: row.name })}
                        onClick={() => setErasing(row)}
                      >
                        {t("trash.erase")}
                      </Button>
                    </div>
                  ),
                },
              ]}
            />
          )}
        </QueryResult>
      </div>
    </Card>
  );
}
