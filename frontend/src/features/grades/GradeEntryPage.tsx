import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type KeyboardEvent } from "react";
import { z } from "zod";
import { api, unwrap } from "../../api/client";
import { fieldError } from "../../api/errors";
import { Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { SelectField, TextField } from "../../components/Field";
import { DataTable } from "../../components/DataTable";
import { Card, PageHeader } from "../../components/Layout";
import { SaveBar } from "../../components/SaveBar";
import { useT } from "../../i18n/I18nProvider";
import { todayIso } from "../../lib/dates";
import { useSearch } from "../../lib/searchParams";
import { CoursePicker } from "../courses/CoursePicker";
import { listName } from "../students/names";
import { useCourse, useCourseStudents, type Course } from "../courses/api";
import { gradeKeys } from "./queryKeys";
import { studentIdColumn, studentNameColumn } from "../students/columns";

// /grades?course=
const gradesSearch = z.object({ course: z.coerce.number().int().positive().optional() });

export function GradeEntryPage() {
  const t = useT();
  const [search, update] = useSearch(gradesSearch);
  const courseId = search.course ?? null;
  const course = useCourse(courseId);

  return (
    <>
      <PageHeader title={t("grades.title")} description={t("grades.description")} />
      <div className="stack">
        <div className="card row">
          <CoursePicker value={courseId} onChange={(id) => update({ course: id })} />
        </div>
        {courseId === null && <Empty>{t("attendance.chooseCourse")}</Empty>}
        <ErrorAlert error={course.error} />
        {course.data && <GradeSheet key={course.data.id} course={course.data} />}
      </div>
    </>
  );
}

function GradeSheet({ course }: { course: Course }) {
  const t = useT();
  const queryClient = useQueryClient();
  const categories = (course.evaluation_rules ?? []).map((rule) => rule.category);
  const [category, setCategory] = useState(categories[0] ?? "");
  const [assignment, setAssignment] = useState("");
  const [maxGrade, setMaxGrade] = useState("100");
  const [dateAssigned, setDateAssigned] = useState(todayIso());
  const [values, setValues] = useState<Record<number, string>>({});
  const students = useCourseStudents(course.id);
  const grades = useQuery({
    queryKey: gradeKeys.ofCourse(course.id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/grades", { params: { query: { course_id: course.id, limit: 500 } } })),
  });
  const list = students.data ?? [];
  const assignments = [
    ...new Set(
      (grades.data?.items ?? []).filter((g) => g.category === category).map((g) => g.assignment_name),
    ),
  ];

  // Re-opening an assignment shows what was entered; posting it again updates those grades.
  function choose(nextCategory: string, nextAssignment: string) {
    setCategory(nextCategory);
    setAssignment(nextAssignment);
    save.reset();
    const existing = (grades.data?.items ?? []).filter(
      (g) => g.category === nextCategory && g.assignment_name === nextAssignment.trim(),
    );
    setValues(Object.fromEntries(existing.map((g) => [g.student_id, String(g.grade)])));
    const first = existing[0];
    if (first) setMaxGrade(String(first.max_grade));
  }

  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/grades/bulk", {
          body: {
            course_id: course.id,
            assignment_name: assignment.trim(),
            category,
            max_grade: Number(maxGrade),
            date_assigned: dateAssigned || null,
            grades: entries.map(([studentId, grade]) => ({ student_id: studentId, grade: Number(grade) })),
          },
        }),
      ),
    onSuccess: async () => {
      // The grade lists and every final grade computed from them.
      await queryClient.invalidateQueries({ queryKey: gradeKeys.all });
    },
  });
  const entries = list
    .filter((s) => (values[s.id] ?? "").trim() !== "")
    .map((s) => [s.id, values[s.id]!] as const);

  // Enter moves down the column, as in a spreadsheet.
  function onGradeKey(event: KeyboardEvent<HTMLInputElement>, index: number) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    document.getElementById(`grade-${index + 1}`)?.focus();
  }

  if (students.isPending || grades.isPending) return <Loading />;
  if (students.error || grades.error) return <ErrorAlert error={students.error ?? grades.error} />;

  return (
    <Card
      title={t("grades.sheet")}
      labelledBy="grade-sheet"
      description={`${course.course_code} — ${course.course_name}`}
    >
      <form
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <div className="form-grid">
          {categories.length > 0 ? (
            <SelectField
              label={t("grades.component")}
              value={category}
              onChange={(event) => choose(event.target.value, assignment)}
              error={fieldError(save.error, "category")}
            >
              {categories.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </SelectField>
          ) : (
            <TextField
              label={t("grades.component")}
              value={category}
              onChange={(event) => choose(event.target.value, assignment)}
              hint={t("grades.noRules")}
              error={fieldError(save.error, "category")}
            />
          )}
          <TextField
            label={t("grades.assignment")}
            value={assignment}
            list="assignment-names"
            required
            onChange={(event) => choose(category, event.target.value)}
            error={fieldError(save.error, "assignment_name")}
          />
          <datalist id="assignment-names">
            {assignments.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <TextField
            label={t("grades.maxGrade")}
            type="number"
            step="any"
            value={maxGrade}
            onChange={(event) => setMaxGrade(event.target.value)}
            error={fieldError(save.error, "max_grade")}
          />
          <TextField
            label={t("grades.dateAssigned")}
            type="date"
            value={dateAssigned}
            onChange={(event) => setDateAssigned(event.target.value)}
            error={fieldError(save.error, "date_assigned")}
          />
        </div>
        {list.length === 0 ? (
          <Empty>{t("attendance.noStudents")}</Empty>
        ) : (
          <DataTable
            rows={list}
            rowKey={(student) => student.id}
            columns={[
              studentIdColumn(t),
              studentNameColumn(t, { link: false }),
              {
                key: "grade",
                header: t("grades.grade"),
                cell: (student) => {
                  const index = list.indexOf(student);
                  const entryIndex = entries.findIndex(([id]) => id === student.id);
                  const error =
                    entryIndex >= 0 ? fieldError(save.error, `grades.${entryIndex}.grade`) : undefined;
                  return (
                    <>
                      <input
                        id={`grade-${index}`}
                        className="input"
                        style={{ maxWidth: 140 }}
                        type="number"
                        inputMode="decimal"
                        step="any"
                        min={0}
                        aria-label={t("grades.gradeFor", { name: listName(student) })}
                        aria-invalid={error ? true : undefined}
                        value={values[student.id] ?? ""}
                        onKeyDown={(event) => onGradeKey(event, index)}
                        onChange={(event) => {
                          save.reset();
                          setValues((current) => ({ ...current, [student.id]: event.target.value }));
                        }}
                      />
                      {error && <div className="field-error">{error}</div>}
                    </>
                  );
                },
              },
            ]}
          />
        )}
        <SaveBar
          save={save}
          saved={
            save.data ? t("grades.saved", { created: save.data.created, updated: save.data.updated }) : null
          }
          label={t("grades.save", { count: entries.length })}
          disabled={entries.length === 0}
        />
      </form>
    </Card>
  );
}
