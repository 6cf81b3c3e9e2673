import { memo, type KeyboardEvent } from "react";
import type { components } from "../../api/schema";
import { Button } from "../../components/Button";
import { useI18n, type T } from "../../i18n/I18nProvider";
import { formatNumber } from "../../lib/format";
import { listName } from "../students/names";
import type { Grade } from "./api";
import { SheetTable } from "./SheetTable";
import { gradeProblem, type GradeProblem } from "./checks";

type Student = components["schemas"]["StudentRead"];

const PROBLEM_KEYS = {
  not_a_number: "grades.problem.not_a_number",
  below_zero: "grades.problem.below_zero",
  above_max: "grades.problem.above_max",
} as const;

/** The grade column of a class: one memoised row per student, so typing re-renders one row. */
export function GradeRows({
  list,
  edits,
  saved,
  max,
  readOnly,
  onEdit,
  onDelete,
  serverError,
}: {
  list: Student[];
  edits: Record<number, string>;
  saved: Map<number, Grade>;
  max: number;
  readOnly: boolean;
  onEdit: (studentId: number, value: string) => void;
  onDelete: (grade: Grade, student: Student) => void;
  serverError: (studentId: number) => string | undefined;
}) {
  const { t, locale } = useI18n();
  return (
    <SheetTable
      testId="grade-sheet"
      headers={[
        t("students.studentId"),
        t("students.name"),
        t("grades.grade"),
        t("grades.savedGrade"),
        <span key="actions" className="visually-hidden">
          {t("common.actions")}
        </span>,
      ]}
    >
      {list.map((student, index) => {
        const grade = saved.get(student.id);
        const typed = edits[student.id];
        return (
          <GradeRow
            key={student.id}
            index={index}
            student={student}
            grade={grade}
            value={typed ?? (grade ? String(grade.grade) : "")}
            problem={gradeProblem(typed ?? "", max)}
            max={max}
            error={serverError(student.id)}
            readOnly={readOnly}
            onEdit={onEdit}
            onDelete={onDelete}
            t={t}
            locale={locale}
          />
        );
      })}
    </SheetTable>
  );
}

// Enter moves down the column, as in a spreadsheet.
function onGradeKey(event: KeyboardEvent<HTMLInputElement>, index: number) {
  if (event.key !== "Enter") return;
  event.preventDefault();
  document.getElementById(`grade-${index + 1}`)?.focus();
}

const GradeRow = memo(function GradeRow({
  index,
  student,
  grade,
  value,
  problem,
  max,
  error,
  readOnly,
  onEdit,
  onDelete,
  t,
  locale,
}: {
  index: number;
  student: Student;
  grade: Grade | undefined;
  value: string;
  problem: GradeProblem;
  max: number;
  error: string | undefined;
  readOnly: boolean;
  onEdit: (studentId: number, value: string) => void;
  onDelete: (grade: Grade, student: Student) => void;
  t: T;
  locale: string;
}) {
  const name = listName(student);
  const message = problem ? t(PROBLEM_KEYS[problem], { max: formatNumber(max, locale, 2) }) : error;
  const messageId = `grade-${index}-message`;
  return (
    <tr data-problem={problem ?? undefined}>
      <td className="mono">{student.student_id}</td>
      <th scope="row" className="row-header">
        {name}
      </th>
      <td>
        <input
          id={`grade-${index}`}
          className="input"
          style={{ maxWidth: 140 }}
          inputMode="decimal"
          aria-label={t("grades.gradeFor", { name })}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? messageId : undefined}
          value={value}
          readOnly={readOnly}
          onKeyDown={(event) => onGradeKey(event, index)}
          onChange={(event) => onEdit(student.id, event.target.value)}
        />
        {message && (
          <div className="field-error" id={messageId}>
            {message}
          </div>
        )}
      </td>
      <td className="num">
        {grade ? (
          `${formatNumber(grade.grade, locale, 2)} / ${formatNumber(grade.max_grade, locale, 2)}`
        ) : (
          <span className="muted">{t("grades.notGraded")}</span>
        )}
      </td>
      <td>
        {grade && !readOnly && (
          <Button
            size="sm"
            variant="ghost"
            write
            aria-label={t("grades.deleteFor", { name })}
            onClick={() => onDelete(grade, student)}
          >
            {t("common.delete")}
          </Button>
        )}
      </td>
    </tr>
  );
});
