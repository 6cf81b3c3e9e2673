import { useState } from "react";
import { Link } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
import { can } from "../../auth/permissions";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Badge, type Tone } from "../../components/Feedback";
import { SelectField } from "../../components/Field";
import { Card } from "../../components/Layout";
import { Pagination } from "../../components/Pagination";
import { QueryResult } from "../../components/QueryResult";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/dates";
import { formatNumber } from "../../lib/format";
import { useDebounced } from "../../lib/useDebounced";
import { mayTeach } from "../classes/access";
import { listName } from "../students/names";
import { AddStudents } from "./AddStudents";
import type { Course } from "./api";
import { useClassListPage, type ClassListEntry, type EnrollmentStatus } from "./classListApi";
import { DropStudent } from "./DropStudent";
import { StudentSearch, usePageOffset } from "./StudentSearch";

const PAGE = 50;
const STANDING_TONES: Record<ClassListEntry["standing"], Tone> = {
  passed: "ok",
  failed: "fail",
  incomplete: "warn",
  no_grades: "neutral",
};
const STATUS_TONES: Record<EnrollmentStatus, Tone> = { active: "ok", completed: "info", dropped: "neutral" };

/**
 * A course's class list: each student's standing so far (final grade on the course's scale,
 * incomplete or not, attendance), enrolled and dropped (with the day and reason), and for the
 * course's teachers and admins, adding many students and dropping one.
 */
export function ClassList({ course }: { course: Course }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const mayEnrol = can(user, "enrollments.write") && mayTeach(user, course);
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim());
  const [status, setStatus] = useState<EnrollmentStatus | "">("active");
  const { offset, setOffset, refilter } = usePageOffset();
  const [sort, setSort] = useState({ sort: "last_name", order: "asc" as "asc" | "desc" });
  const [adding, setAdding] = useState(false);
  const [dropping, setDropping] = useState<ClassListEntry | null>(null);
  const list = useClassListPage(course.id, {
    q: q || undefined,
    status: status || undefined,
    ...sort,
    limit: PAGE,
    offset,
  });

  return (
    <div className="stack" style={{ marginTop: 16 }}>
      {adding && <AddStudents courseId={course.id} onClose={() => setAdding(false)} />}
      <Card
        title={t("courses.enrolled")}
        labelledBy="course-enrolled"
        actions={
          mayEnrol &&
          !adding && (
            <Button variant="primary" write onClick={() => setAdding(true)}>
              {t("classList.add")}
            </Button>
          )
        }
      >
        <div className="stack">
          <div className="row">
            <StudentSearch value={search} onChange={refilter(setSearch)} />
            <SelectField
              label={t("classList.show")}
              value={status}
              onChange={(event) => refilter(setStatus)(event.target.value as EnrollmentStatus | "")}
            >
              <option value="active">{t("enrollment.active")}</option>
              <option value="dropped">{t("enrollment.dropped")}</option>
              <option value="completed">{t("enrollment.completed")}</option>
              <option value="">{t("common.all")}</option>
            </SelectField>
          </div>
          {dropping && <DropStudent courseId={course.id} entry={dropping} onDone={() => setDropping(null)} />}
          <QueryResult
            query={list}
            isEmpty={(page) => page.items.length === 0}
            empty={t("courses.noStudents")}
          >
            {(page) => (
              <>
                <DataTable
                  rows={page.items}
                  rowKey={(row) => row.enrollment_id}
                  caption={t("courses.enrolled")}
                  busy={list.isFetching}
                  testId="class-list"
                  sorting={{
                    ...sort,
                    onSort: (field, order) => refilter(setSort)({ sort: field, order }),
                  }}
                  columns={[
                    {
                      key: "student_number",
                      header: t("students.studentId"),
                      sortable: true,
                      cellClassName: "mono",
                      cell: (row) => row.student_number,
                    },
                    {
                      key: "last_name",
                      header: t("students.name"),
                      sortable: true,
                      cell: (row) => <Link to={`/students/${row.student_id}`}>{listName(row)}</Link>,
                    },
                    {
                      key: "study_year",
                      header: t("students.studyYear"),
                      sortable: true,
                      className: "num",
                      cell: (row) => row.study_year,
                    },
                    {
                      key: "status",
                      header: t("students.status"),
                      sortable: true,
                      cell: (row) => (
                        <>
                          <Badge tone={STATUS_TONES[row.status]}>{t(`enrollment.${row.status}`)}</Badge>
                          {row.status === "dropped" && (
                            <div className="muted">
                              {t("classList.droppedWhy", {
                                date: formatDate(row.dropped_on, locale),
                                reason: row.drop_reason ?? "—",
                              })}
                            </div>
                          )}
                        </>
                      ),
                    },
                    {
                      key: "final_grade",
                      header: t("finalGrade.title"),
                      sortable: true,
                      className: "num",
                      cell: (row) =>
                        row.complete && row.final_grade !== null
                          ? `${formatNumber(row.final_grade, locale, 2)} / ${formatNumber(row.max_grade, locale)}`
                          : "—",
                    },
                    {
                      key: "standing",
                      header: t("classList.standing"),
                      cell: (row) => (
                        <span title={row.missing.length > 0 ? row.missing.join(", ") : undefined}>
                          <Badge tone={STANDING_TONES[row.standing]}>
                            {t(`finalGrade.status.${row.standing}`)}
                          </Badge>
                          {row.standing === "incomplete" && (
                            <div className="muted">
                              {t("classList.missing", { categories: row.missing.join(", ") })}
                            </div>
                          )}
                        </span>
                      ),
                    },
                    {
                      key: "attendance_rate",
                      header: t("dashboard.attendanceRate"),
                      sortable: true,
                      className: "num",
                      cell: (row) =>
                        row.attendance_rate === null
                          ? "—"
                          : `${formatNumber(row.attendance_rate, locale, 1)}%`,
                    },
                    {
                      key: "actions",
                      header: t("common.actions"),
                      hiddenHeader: true,
                      cell: (row) =>
                        mayEnrol &&
                        row.status === "active" && (
                          <Button
                            size="sm"
                            variant="ghost"
                            write
                            aria-label={t("classList.dropTitle", { name: listName(row) })}
                            onClick={() => setDropping(row)}
                          >
                            {t("classList.drop")}
                          </Button>
                        ),
                    },
                  ]}
                />
                <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />
              </>
            )}
          </QueryResult>
        </div>
      </Card>
    </div>
  );
}
