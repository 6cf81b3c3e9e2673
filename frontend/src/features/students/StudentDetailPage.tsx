import { useState } from "react";
import { useNavigate } from "react-router";
import { downloadFile } from "../../api/http";
import { useCan } from "../../auth/permissions";
import { Button, ButtonLink } from "../../components/Button";
import { ActiveBadge, Alert, ErrorAlert } from "../../components/Feedback";
import { DataTable } from "../../components/DataTable";
import { KeyValueList } from "../../components/KeyValueList";
import { QueryResult } from "../../components/QueryResult";
import { SelectField } from "../../components/Field";
import { RouteRecord } from "../../components/RouteRecord";
import { Card, PageHeader } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/dates";
import { formatNumber } from "../../lib/format";
import { useCourseOptions, type Course } from "../courses/api";
import {
  useDeleteStudent,
  useEnroll,
  useStudent,
  useStudentEnrollments,
  useStudentGrades,
  type Student,
} from "./api";
import { CourseResult } from "./CourseResult";

export function StudentDetailPage() {
  return (
    <RouteRecord useRecord={useStudent}>
      {(student) => student && <StudentDetail student={student} />}
    </RouteRecord>
  );
}

function StudentDetail({ student }: { student: Student }) {
  const { t, locale } = useI18n();
  const may = useCan();
  const navigate = useNavigate();
  const courses = useCourseOptions();
  const enrollments = useStudentEnrollments(student.id);
  const grades = useStudentGrades(student.id);
  const remove = useDeleteStudent();
  const [exportError, setExportError] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const byId = new Map<number, Course>((courses.data ?? []).map((course) => [course.id, course]));
  const name = `${student.first_name} ${student.last_name}`;

  function exportAs(format: "json" | "csv") {
    setExportError(null);
    downloadFile(
      `/api/v1/students/${student.id}/export?format=${format}`,
      `student-${student.student_id}.${format}`,
    ).catch(setExportError);
  }

  return (
    <>
      <PageHeader
        title={name}
        description={
          <>
            <span className="mono">{student.student_id}</span> · {student.email}
          </>
        }
        actions={
          <>
            <Button onClick={() => exportAs("json")}>{t("students.exportJson")}</Button>
            <Button onClick={() => exportAs("csv")}>{t("students.exportCsv")}</Button>
            {may("students.write") && (
              <ButtonLink to={`/students/${student.id}/edit`} variant="primary">
                {t("common.edit")}
              </ButtonLink>
            )}
            {may("students.delete") && (
              <Button variant="danger" onClick={() => setConfirmDelete(true)}>
                {t("common.delete")}
              </Button>
            )}
          </>
        }
      />
      <div className="stack">
        <ErrorAlert error={exportError ?? remove.error} />
        {confirmDelete && (
          <Alert tone="warn" title={t("students.confirmDeleteTitle", { name })}>
            <p>{t("students.confirmDeleteBody")}</p>
            <div className="row" style={{ marginTop: 8 }}>
              <Button
                variant="danger"
                busy={remove.isPending}
                onClick={() => remove.mutate(student.id, { onSuccess: () => void navigate("/students") })}
              >
                {t("common.delete")}
              </Button>
              <Button onClick={() => setConfirmDelete(false)}>{t("common.cancel")}</Button>
            </div>
          </Alert>
        )}
        <div className="grid grid-2">
          <Card title={t("students.profile")} labelledBy="student-profile">
            <KeyValueList
              items={[
                { label: t("students.status"), value: <ActiveBadge active={student.is_active} /> },
                { label: t("students.studyYear"), value: student.study_year },
                { label: t("students.enrollmentDate"), value: formatDate(student.enrollment_date, locale) },
                { label: t("students.dateOfBirth"), value: formatDate(student.date_of_birth, locale) },
                { label: t("students.phone"), value: student.phone ?? "—" },
                !!student.notes && { label: t("students.notes"), value: student.notes },
              ]}
            />
          </Card>
          {may("enrollments.write") && (
            <EnrollCard
              studentId={student.id}
              courses={courses.data ?? []}
              enrolled={new Set((enrollments.data?.items ?? []).map((e) => e.course_id))}
            />
          )}
        </div>

        <section aria-labelledby="student-courses" className="stack">
          <h2 id="student-courses">{t("students.courses")}</h2>
          <QueryResult
            query={enrollments}
            isEmpty={(page) => page.items.length === 0}
            empty={t("students.noEnrollments")}
          >
            {(page) => (
              <div className="grid grid-2">
                {page.items.map((enrollment) => (
                  <CourseResult
                    key={enrollment.id}
                    studentId={student.id}
                    enrollment={enrollment}
                    course={byId.get(enrollment.course_id)}
                  />
                ))}
              </div>
            )}
          </QueryResult>
        </section>

        <Card title={t("students.grades")} labelledBy="student-grades">
          <QueryResult
            query={grades}
            isEmpty={(page) => page.items.length === 0}
            empty={t("students.noGrades")}
          >
            {(page) => (
              <DataTable
                rows={page.items}
                rowKey={(grade) => grade.id}
                columns={[
                  {
                    key: "course",
                    header: t("grades.course"),
                    cell: (grade) => byId.get(grade.course_id)?.course_code ?? `#${grade.course_id}`,
                  },
                  {
                    key: "assignment",
                    header: t("grades.assignment"),
                    cell: (grade) => grade.assignment_name,
                  },
                  { key: "category", header: t("grades.component"), cell: (grade) => grade.category },
                  {
                    key: "grade",
                    header: t("grades.grade"),
                    className: "num",
                    cell: (grade) =>
                      `${formatNumber(grade.grade, locale, 2)} / ${formatNumber(grade.max_grade, locale, 2)}`,
                  },
                  {
                    key: "date",
                    header: t("grades.dateAssigned"),
                    cell: (grade) => formatDate(grade.date_assigned, locale),
                  },
                ]}
              />
            )}
          </QueryResult>
        </Card>
      </div>
    </>
  );
}

function EnrollCard({
  studentId,
  courses,
  enrolled,
}: {
  studentId: number;
  courses: Course[];
  enrolled: Set<number>;
}) {
  const { t } = useI18n();
  const enroll = useEnroll(studentId);
  const available = courses.filter((course) => !enrolled.has(course.id));
  const [courseId, setCourseId] = useState("");
  return (
    <Card title={t("students.enroll")} labelledBy="student-enroll" description={t("students.enrollHint")}>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          if (courseId) enroll.mutate(Number(courseId), { onSuccess: () => setCourseId("") });
        }}
      >
        <ErrorAlert error={enroll.error} />
        <SelectField
          label={t("grades.course")}
          value={courseId}
          onChange={(event) => setCourseId(event.target.value)}
        >
          <option value="">{t("common.choose")}</option>
          {available.map((course) => (
            <option key={course.id} value={course.id}>
              {course.course_code} — {course.course_name}
            </option>
          ))}
        </SelectField>
        <div>
          <Button type="submit" variant="primary" disabled={!courseId} busy={enroll.isPending}>
            {t("students.enrollSubmit")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
