import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type KeyboardEvent } from "react";
import { z } from "zod";
import { api, unwrap } from "../../api/client";
import { fieldError } from "../../api/errors";
import { Button } from "../../components/Button";
import { Alert, Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { SelectField, TextField } from "../../components/Field";
import { Card, PageHeader } from "../../components/Layout";
import { useT } from "../../i18n/I18nProvider";
import { todayIso } from "../../lib/dates";
import { useSearch } from "../../lib/searchParams";
import { CoursePicker } from "../courses/CoursePicker";
import { useCourse, useCourseStudents, type Course } from "../courses/api";
import { gradeKeys } from "./queryKeys";

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
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("students.studentId")}</th>
                  <th scope="col">{t("students.name")}</th>
                  <th scope="col">{t("grades.grade")}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((student, index) => {
                  const name = `${student.last_name}, ${student.first_name}`;
                  const entryIndex = entries.findIndex(([id]) => id === student.id);
                  const error =
                    entryIndex >= 0 ? fieldError(save.error, `grades.${entryIndex}.grade`) : undefined;
                  return (
                    <tr key={student.id}>
                      <td className="mono">{student.student_id}</td>
                      <td>{name}</td>
                      <td>
                        <input
                          id={`grade-${index}`}
                          className="input"
                          style={{ maxWidth: 140 }}
                          type="number"
                          inputMode="decimal"
                          step="any"
                          min={0}
                          aria-label={t("grades.gradeFor", { name })}
                          aria-invalid={error ? true : undefined}
                          value={values[student.id] ?? ""}
                          onKeyDown={(event) => onGradeKey(event, index)}
                          onChange={(event) => {
                            save.reset();
                            setValues((current) => ({ ...current, [student.id]: event.target.value }));
                          }}
                        />
                        {error && <div className="field-error">{error}</div>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <ErrorAlert error={save.error} />
        {save.data && (
          <Alert tone="ok">
            {t("grades.saved", { created: save.data.created, updated: save.data.updated })}
          </Alert>
        )}
        <div className="row">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={entries.length === 0}>
            {t("grades.save", { count: entries.length })}
          </Button>
        </div>
      </form>
    </Card>
  );
}
