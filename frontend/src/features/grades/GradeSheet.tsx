import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, unwrap } from "../../api/client";
import { fieldError } from "../../api/errors";
import { Confirm } from "../../components/Confirm";
import { Alert, Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { SelectField, TextField } from "../../components/Field";
import { Card } from "../../components/Layout";
import { SaveBar } from "../../components/SaveBar";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatNumber } from "../../lib/format";
import { todayIso } from "../../lib/dates";
import type { Course } from "../courses/api";
import { useClassList } from "../classes/api";
import { useMayTeach } from "../classes/access";
import { dashboardKeys } from "../dashboard/queryKeys";
import { listName } from "../students/names";
import { useCategoryGrades, useDeleteGrade, type Grade } from "./api";
import { gradeProblem, gradeValue } from "./checks";
import { GradeRows } from "./GradeRows";
import { gradeKeys } from "./queryKeys";

/**
 * One assignment's grades for a whole class, on the course's own scale and in one of the categories
 * its evaluation rules name. Every out-of-range value is flagged as it is typed and blocks Save.
 */
export function GradeSheet({
  course,
  confirmLeave,
  onUnsaved,
}: {
  course: Course;
  confirmLeave: () => boolean;
  onUnsaved: (count: number) => void;
}) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const mayWrite = useMayTeach(course);
  const categories = (course.evaluation_rules ?? []).map((rule) => rule.category);
  const [category, setCategory] = useState(categories[0] ?? "");
  const [assignment, setAssignment] = useState("");
  const [dateAssigned, setDateAssigned] = useState(todayIso());
  // Only what was typed: the other cells show the saved grade.
  const [edits, setEdits] = useState<Record<number, string>>({});
  const [deleting, setDeleting] = useState<{ grade: Grade; name: string } | null>(null);
  const students = useClassList(course.id);
  const grades = useCategoryGrades(course.id, category);
  const remove = useDeleteGrade();
  const list = useMemo(() => students.data ?? [], [students.data]);
  const name = assignment.trim();

  const assignments = [...new Set((grades.data ?? []).map((g) => g.assignment_name))];
  const saved = useMemo(() => {
    const byStudent = new Map<number, Grade>();
    for (const grade of grades.data ?? [])
      if (grade.assignment_name === name) byStudent.set(grade.student_id, grade);
    return byStudent;
  }, [grades.data, name]);
  // An assignment entered before grades followed the course's scale keeps its own maximum.
  const max = saved.values().next().value?.max_grade ?? course.max_grade;

  const changed = list.filter((s) => {
    const typed = edits[s.id];
    if (typed === undefined || typed.trim() === "") return false;
    const before = saved.get(s.id);
    return before === undefined || gradeValue(typed) !== before.grade;
  });
  const problems = list.filter((s) => gradeProblem(edits[s.id] ?? "", max) !== null).length;

  useEffect(() => onUnsaved(changed.length), [changed.length, onUnsaved]);
  useEffect(() => () => onUnsaved(0), [onUnsaved]);

  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/grades/bulk", {
          body: {
            course_id: course.id,
            assignment_name: name,
            category,
            max_grade: max,
            date_assigned: dateAssigned || null,
            grades: changed.map((s) => ({ student_id: s.id, grade: gradeValue(edits[s.id]!) })),
          },
        }),
      ),
    onSuccess: async () => {
      // The grade lists, every final grade computed from them, the school's at-risk counts.
      for (const queryKey of [gradeKeys.all, dashboardKeys.all]) {
        await queryClient.invalidateQueries({ queryKey });
      }
    },
  });

  /**
   * Another category, or an assignment that already has grades, shows other grades: what was typed
   * is given up only if confirmed. Renaming a new assignment as it is typed keeps the grades.
   */
  function choose(nextCategory: string, nextAssignment: string) {
    const nextName = nextAssignment.trim();
    const replaces =
      nextCategory !== category || (nextName !== name && (assignments.includes(nextName) || saved.size > 0));
    if (replaces) {
      if (Object.keys(edits).length > 0 && !confirmLeave()) return;
      setEdits({});
    }
    setCategory(nextCategory);
    setAssignment(nextAssignment);
    save.reset();
    setDeleting(null);
  }

  const { reset } = save;
  const onEdit = useCallback(
    (studentId: number, value: string) => {
      reset();
      setEdits((current) => ({ ...current, [studentId]: value }));
    },
    [reset, setEdits],
  );
  const resetRemove = remove.reset;
  const askDelete = useCallback(
    (grade: Grade, student: { first_name: string; last_name: string }) => {
      resetRemove();
      setDeleting({ grade, name: listName(student) });
    },
    [resetRemove, setDeleting],
  );
  const serverError = useCallback(
    (studentId: number) => {
      const index = changed.findIndex((s) => s.id === studentId);
      return index >= 0 ? fieldError(save.error, `grades.${index}.grade`) : undefined;
    },
    [changed, save.error],
  );

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
          if (problems === 0 && changed.length > 0) save.mutate(undefined, { onSuccess: () => setEdits({}) });
        }}
      >
        {!mayWrite && <Alert tone="info">{t("grades.readOnly")}</Alert>}
        <div className="form-grid">
          <SelectField
            label={t("grades.component")}
            value={category}
            onChange={(event) => choose(event.target.value, assignment)}
            error={fieldError(save.error, "category")}
          >
            {categories.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t("grades.assignment")}
            value={assignment}
            list="assignment-names"
            required
            onChange={(event) => choose(category, event.target.value)}
            error={fieldError(save.error, "assignment_name")}
          />
          <datalist id="assignment-names">
            {assignments.map((option) => (
              <option key={option} value={option} />
            ))}
          </datalist>
          <TextField
            label={t("grades.dateAssigned")}
            type="date"
            value={dateAssigned}
            onChange={(event) => setDateAssigned(event.target.value)}
            error={fieldError(save.error, "date_assigned")}
            disabled={!mayWrite}
          />
        </div>
        <p className="field-hint" data-testid="grade-scale">
          {t("grades.scale", {
            max: formatNumber(max, locale, 2),
            passing: formatNumber(course.passing_grade, locale, 2),
          })}
        </p>
        {deleting && (
          <Confirm
            title={t("grades.confirmDeleteTitle", { name: deleting.name })}
            confirmLabel={t("grades.delete")}
            busy={remove.isPending}
            error={remove.error}
            onCancel={() => setDeleting(null)}
            onConfirm={() =>
              remove.mutate(deleting.grade.id, {
                onSuccess: () => {
                  setEdits(({ [deleting.grade.student_id]: _dropped, ...rest }) => rest);
                  setDeleting(null);
                },
              })
            }
          >
            <p>
              {t("grades.confirmDeleteBody", {
                grade: `${formatNumber(deleting.grade.grade, locale, 2)} / ${formatNumber(deleting.grade.max_grade, locale, 2)}`,
                assignment: deleting.grade.assignment_name,
              })}
            </p>
          </Confirm>
        )}
        {students.isPending || grades.isPending ? (
          <Loading />
        ) : students.error || grades.error ? (
          <ErrorAlert error={students.error ?? grades.error} />
        ) : list.length === 0 ? (
          <Empty>{t("attendance.noStudents")}</Empty>
        ) : (
          <GradeRows
            list={list}
            edits={edits}
            saved={saved}
            max={max}
            readOnly={!mayWrite || name === ""}
            onEdit={onEdit}
            onDelete={askDelete}
            serverError={serverError}
          />
        )}
        {mayWrite && (
          <SaveBar
            save={save}
            saved={
              save.data ? t("grades.saved", { created: save.data.created, updated: save.data.updated }) : null
            }
            label={t(pluralKey("grades.save", changed.length, locale), { count: changed.length })}
            disabled={changed.length === 0 || problems > 0 || name === ""}
            summary={
              problems > 0 ? (
                <span className="field-error" data-testid="grade-problems">
                  {t(pluralKey("grades.blocked", problems, locale), { count: problems })}
                </span>
              ) : name === "" ? (
                t("grades.nameFirst")
              ) : null
            }
          />
        )}
      </form>
    </Card>
  );
}
