import { z } from "zod";
import { Button } from "../../components/Button";
import { Badge } from "../../components/Feedback";
import { SelectField, TextField } from "../../components/Field";
import { PageHeader } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/dates";
import { useSearch } from "../../lib/searchParams";
import { useMayRecord } from "../classes/access";
import { StudentLabel } from "../classes/StudentLabel";
import { StudentPicker } from "../classes/StudentPicker";
import { useDeleteHighlight, useHighlights, type Highlight } from "./api";
import { ProgressNav } from "../performance/ProgressNav";
import { ConfirmDelete, RecordLog, useRecordEditing } from "../performance/RecordLog";
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
  const { editing, setEditing, deleting, setDeleting } = useRecordEditing<Highlight>();
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
          <ConfirmDelete
            title={t("highlights.confirmDeleteTitle")}
            row={deleting}
            remove={remove}
            onClose={() => setDeleting(null)}
          >
            <p>{deleting.highlight_text}</p>
          </ConfirmDelete>
        )}
        <RecordLog
          query={list}
          caption={t("highlights.title")}
          testId="highlights-list"
          empty={t("highlights.none")}
          mayChange={() => mayRecord}
          onEdit={setEditing}
          onDelete={setDeleting}
          onPage={(offset) => update({ offset })}
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
          ]}
        />
      </div>
    </>
  );
}
