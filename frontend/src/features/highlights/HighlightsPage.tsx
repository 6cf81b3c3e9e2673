import { useState } from "react";
import { z } from "zod";
import { Button } from "../../components/Button";
import { Confirm } from "../../components/Confirm";
import { DataTable } from "../../components/DataTable";
import { Badge } from "../../components/Feedback";
import { SelectField, TextField } from "../../components/Field";
import { PageHeader } from "../../components/Layout";
import { Pagination } from "../../components/Pagination";
import { QueryResult } from "../../components/QueryResult";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/dates";
import { useSearch } from "../../lib/searchParams";
import { useMayRecord } from "../classes/access";
import { StudentLabel } from "../classes/StudentLabel";
import { StudentPicker } from "../classes/StudentPicker";
import { useDeleteHighlight, useHighlights, type Highlight } from "./api";
import { ProgressNav } from "../performance/ProgressNav";
import { HighlightForm } from "./HighlightForm";

const PAGE = 20;

// /highlights?student=&category=&kind=&q=&offset=
const highlightsSearch = z.object({
  student: z.coerce.number().int().positive().optional(),
  category: z.string().default(""),
  kind: z.enum(["all", "positive", "concern"]).default("all"),
  q: z.string().default(""),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Notable moments of a student's term: read by everyone, recorded by teachers and administrators. */
export function HighlightsPage() {
  const { t, locale } = useI18n();
  const mayRecord = useMayRecord();
  const [search, update] = useSearch(highlightsSearch);
  const [editing, setEditing] = useState<Highlight | "new" | null>(null);
  const [deleting, setDeleting] = useState<Highlight | null>(null);
  const remove = useDeleteHighlight();
  const list = useHighlights({
    student_id: search.student,
    category: search.category.trim() || undefined,
    is_positive: search.kind === "all" ? undefined : search.kind === "positive",
    q: search.q.trim() || undefined,
    limit: PAGE,
    offset: search.offset,
  });
  const filter = (changes: Parameters<typeof update>[0]) => update({ ...changes, offset: null });

  return (
    <>
      <PageHeader
        title={t("highlights.title")}
        description={t("highlights.description")}
        actions={
          mayRecord && (
            <Button variant="primary" write onClick={() => setEditing("new")}>
              {t("highlights.new")}
            </Button>
          )
        }
      />
      <ProgressNav />
      <div className="stack">
        {editing !== null && (
          <HighlightForm
            key={editing === "new" ? "new" : editing.id}
            editing={editing === "new" ? null : editing}
            initialStudent={search.student ?? null}
            onDone={() => setEditing(null)}
          />
        )}
        <div className="card row">
          <StudentPicker
            label={t("performance.student")}
            value={search.student ?? null}
            onChange={(id) => filter({ student: id })}
          />
          <TextField
            label={t("highlights.search")}
            type="search"
            value={search.q}
            onChange={(event) => filter({ q: event.target.value })}
          />
          <TextField
            label={t("performance.category")}
            value={search.category}
            onChange={(event) => filter({ category: event.target.value })}
          />
          <SelectField
            label={t("highlights.kind")}
            value={search.kind}
            onChange={(event) => filter({ kind: event.target.value })}
          >
            <option value="all">{t("common.all")}</option>
            <option value="positive">{t("highlights.positiveShort")}</option>
            <option value="concern">{t("highlights.concern")}</option>
          </SelectField>
        </div>
        {deleting && (
          <Confirm
            title={t("highlights.confirmDeleteTitle")}
            confirmLabel={t("common.delete")}
            busy={remove.isPending}
            error={remove.error}
            onCancel={() => setDeleting(null)}
            onConfirm={() => remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
          >
            <p>{deleting.highlight_text}</p>
          </Confirm>
        )}
        <div className="card stack">
          <QueryResult query={list} isEmpty={(page) => page.items.length === 0} empty={t("highlights.none")}>
            {(page) => (
              <>
                <DataTable
                  rows={page.items}
                  rowKey={(row) => row.id}
                  caption={t("highlights.title")}
                  busy={list.isFetching}
                  testId="highlights-list"
                  columns={[
                    {
                      key: "date",
                      header: t("attendance.date"),
                      cell: (row) => formatDate(row.date_recorded, locale),
                    },
                    {
                      key: "student",
                      header: t("performance.student"),
                      cell: (row) => <StudentLabel id={row.student_id} />,
                    },
                    { key: "semester", header: t("highlights.semester"), cell: (row) => row.semester },
                    {
                      key: "kind",
                      header: t("highlights.kind"),
                      cell: (row) =>
                        row.is_positive ? (
                          <Badge tone="ok">{t("highlights.positiveShort")}</Badge>
                        ) : (
                          <Badge tone="warn">{t("highlights.concern")}</Badge>
                        ),
                    },
                    { key: "category", header: t("performance.category"), cell: (row) => row.category },
                    {
                      key: "rating",
                      header: t("highlights.ratingShort"),
                      className: "num",
                      cell: (row) => row.rating ?? "—",
                    },
                    { key: "text", header: t("highlights.text"), cell: (row) => row.highlight_text },
                    {
                      key: "actions",
                      header: t("common.actions"),
                      hiddenHeader: true,
                      cell: (row) =>
                        mayRecord && (
                          <div className="row">
                            <Button size="sm" write onClick={() => setEditing(row)}>
                              {t("common.edit")}
                            </Button>
                            <Button size="sm" variant="ghost" write onClick={() => setDeleting(row)}>
                              {t("common.delete")}
                            </Button>
                          </div>
                        ),
                    },
                  ]}
                />
                <Pagination
                  total={page.total}
                  limit={page.limit}
                  offset={page.offset}
                  onChange={(offset) => update({ offset })}
                />
              </>
            )}
          </QueryResult>
        </div>
      </div>
    </>
  );
}
