import { Link } from "react-router";
import { z } from "zod";
import { useAuth } from "../../auth/AuthProvider";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { PageHeader } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/dates";
import { formatNumber } from "../../lib/format";
import { useSearch } from "../../lib/searchParams";
import { mayTeach } from "../classes/access";
import { StudentLabel } from "../classes/StudentLabel";
import { StudentPicker } from "../classes/StudentPicker";
import { CoursePicker } from "../courses/CoursePicker";
import { useCourseOptions } from "../courses/api";
import { useDeletePerformance, usePerformanceList, type Performance } from "./api";
import { PerformanceForm } from "./PerformanceForm";
import { ProgressNav } from "./ProgressNav";
import { ConfirmDelete, RecordLog, useRecordEditing } from "./RecordLog";

const PAGE = 20;

// /performance?course=&student=&category=&from=&to=&offset=
const performanceSearch = z.object({
  course: z.coerce.number().int().positive().optional(),
  student: z.coerce.number().int().positive().optional(),
  category: z.string().default(""),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Daily scores per course and per student: read by everyone, recorded by a course's teachers. */
export function PerformancePage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const [search, update] = useSearch(performanceSearch);
  const courses = useCourseOptions();
  const courseById = new Map((courses.data ?? []).map((course) => [course.id, course]));
  const writable = (courses.data ?? []).filter((course) => mayTeach(user, course));
  const { editing, setEditing, deleting, setDeleting } = useRecordEditing<Performance>();
  const remove = useDeletePerformance();
  const list = usePerformanceList({
    course_id: search.course,
    student_id: search.student,
    category: search.category.trim() || undefined,
    date_from: search.from,
    date_to: search.to,
    limit: PAGE,
    offset: search.offset,
  });
  const filter = (changes: Parameters<typeof update>[0]) => update({ ...changes, offset: null });

  return (
    <>
      <PageHeader
        title={t("performance.title")}
        description={t("performance.description")}
        actions={
          writable.length > 0 && (
            <Button variant="primary" write onClick={() => setEditing("new")}>
              {t("performance.new")}
            </Button>
          )
        }
      />
      <ProgressNav />
      <div className="stack">
        {editing !== null && (
          <PerformanceForm
            key={editing === "new" ? "new" : editing.id}
            courses={writable}
            editing={editing === "new" ? null : editing}
            initialCourse={search.course ?? null}
            initialStudent={search.student ?? null}
            onDone={() => setEditing(null)}
          />
        )}
        <div className="card row">
          <CoursePicker value={search.course ?? null} onChange={(id) => filter({ course: id })} />
          <StudentPicker
            label={t("performance.student")}
            value={search.student ?? null}
            onChange={(id) => filter({ student: id })}
          />
          <TextField
            label={t("performance.category")}
            value={search.category}
            onChange={(event) => filter({ category: event.target.value })}
          />
          <TextField
            label={t("filters.from")}
            type="date"
            value={search.from ?? ""}
            onChange={(event) => filter({ from: event.target.value })}
          />
          <TextField
            label={t("filters.to")}
            type="date"
            value={search.to ?? ""}
            onChange={(event) => filter({ to: event.target.value })}
          />
        </div>
        {deleting && (
          <ConfirmDelete
            title={t("performance.confirmDeleteTitle")}
            row={deleting}
            remove={remove}
            onClose={() => setDeleting(null)}
          >
            <p>
              {t("performance.confirmDeleteBody", {
                score: `${formatNumber(deleting.score, locale, 2)} / ${formatNumber(deleting.max_score, locale, 2)}`,
                date: formatDate(deleting.date, locale),
              })}
            </p>
          </ConfirmDelete>
        )}
        <RecordLog
          query={list}
          caption={t("performance.title")}
          testId="performance-list"
          empty={t("performance.none")}
          mayChange={(row) => mayTeach(user, courseById.get(row.course_id))}
          onEdit={setEditing}
          onDelete={setDeleting}
          onPage={(offset) => update({ offset })}
          columns={[
            { key: "date", header: t("attendance.date"), cell: (row) => formatDate(row.date, locale) },
            {
              key: "student",
              header: t("performance.student"),
              cell: (row) => <StudentLabel id={row.student_id} />,
            },
            {
              key: "course",
              header: t("grades.course"),
              cell: (row) => (
                <Link to={`/courses/${row.course_id}`}>
                  {courseById.get(row.course_id)?.course_code ?? `#${row.course_id}`}
                </Link>
              ),
            },
            { key: "category", header: t("performance.category"), cell: (row) => row.category },
            {
              key: "score",
              header: t("performance.score"),
              className: "num",
              cell: (row) =>
                `${formatNumber(row.score, locale, 2)} / ${formatNumber(row.max_score, locale, 2)}`,
            },
            { key: "notes", header: t("performance.notes"), cell: (row) => row.notes ?? "" },
          ]}
        />
      </div>
    </>
  );
}
