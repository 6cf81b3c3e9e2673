import { memo, useCallback, useEffect, useState, type KeyboardEvent } from "react";
import type { components } from "../../api/schema";
import { Button } from "../../components/Button";
import { Card } from "../../components/Layout";
import { SaveBar } from "../../components/SaveBar";
import { useI18n, type T } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { SheetTable } from "../grades/SheetTable";
import { listName } from "../students/names";
import type { AttendanceSaver } from "./AttendancePage";

export type Status = components["schemas"]["AttendanceStatus"];
type EnrolledStudent = components["schemas"]["StudentRead"];
const STATUSES: Status[] = ["present", "absent", "late", "excused"];
// One key per status while a student's row has focus: P, A, L, E.
const SHORTCUTS: Record<string, Status> = { p: "present", a: "absent", l: "late", e: "excused" };

export interface Mark {
  status: Status;
  notes: string;
}

type Marks = Record<number, Mark>;

function sameMark(a: Mark | undefined, b: Mark | undefined): boolean {
  return a?.status === b?.status && (a?.notes ?? "") === (b?.notes ?? "");
}

/** The students whose mark differs from what the server holds. */
function changedCount(list: EnrolledStudent[], marks: Marks, saved: Marks): number {
  return list.filter((student) => !sameMark(marks[student.id], saved[student.id])).length;
}

/**
 * A course-day's class list, one row per student. Rows are memoised and keyed by their own mark, so
 * a click re-renders one row, not a class of hundreds.
 */
export function AttendanceForm({
  list,
  initial,
  save,
  readOnly,
  onUnsaved,
}: {
  list: EnrolledStudent[];
  initial: Marks;
  save: AttendanceSaver;
  readOnly: boolean;
  onUnsaved: (count: number) => void;
}) {
  const { t, locale } = useI18n();
  const [saved, setSaved] = useState<Marks>(initial);
  const [marks, setMarks] = useState<Marks>(initial);
  const marked = list.filter((student) => marks[student.id]).length;
  const unsaved = changedCount(list, marks, saved);
  const { reset } = save;

  useEffect(() => onUnsaved(unsaved), [unsaved, onUnsaved]);
  useEffect(() => () => onUnsaved(0), [onUnsaved]);

  const setMark = useCallback(
    (studentId: number, change: Partial<Mark>) => {
      reset();
      setMarks((current) => {
        const mark = current[studentId];
        if (!mark && !change.status) return current;
        return {
          ...current,
          [studentId]: { status: change.status ?? mark!.status, notes: change.notes ?? mark?.notes ?? "" },
        };
      });
    },
    [reset],
  );

  return (
    <Card
      title={t("attendance.sheet")}
      labelledBy="attendance-sheet"
      description={t(pluralKey("attendance.progress", marked, locale), { marked, total: list.length })}
      actions={
        !readOnly && (
          <Button
            // Marks nobody can save while SMS is read-only.
            write
            onClick={() =>
              setMarks((current) =>
                Object.fromEntries(
                  list.map((s) => [s.id, { status: "present" as Status, notes: current[s.id]?.notes ?? "" }]),
                ),
              )
            }
          >
            {t("attendance.markAllPresent")}
          </Button>
        )
      }
    >
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          const records = list
            .filter((student) => marks[student.id])
            .map((student) => ({
              student_id: student.id,
              status: marks[student.id]!.status,
              notes: marks[student.id]!.notes || null,
            }));
          const sent = marks;
          save.mutate(records, { onSuccess: () => setSaved(sent) });
        }}
      >
        {!readOnly && <p className="field-hint">{t("attendance.keyboardHint")}</p>}
        <SheetTable
          testId="attendance-sheet"
          headers={[
            t("students.studentId"),
            t("students.name"),
            t("attendance.status"),
            t("attendance.notes"),
          ]}
        >
          {list.map((student) => (
            <StudentRow
              key={student.id}
              student={student}
              mark={marks[student.id]}
              changed={!sameMark(marks[student.id], saved[student.id])}
              readOnly={readOnly}
              onMark={setMark}
              t={t}
            />
          ))}
        </SheetTable>
        {!readOnly && (
          <SaveBar
            save={save}
            saved={
              save.data
                ? t("attendance.saved", { created: save.data.created, updated: save.data.updated })
                : null
            }
            label={t("attendance.save")}
            disabled={marked === 0}
            summary={
              unsaved > 0
                ? t(pluralKey("attendance.unsavedCount", unsaved, locale), { count: unsaved })
                : t(pluralKey("attendance.progress", marked, locale), { marked, total: list.length })
            }
          />
        )}
      </form>
    </Card>
  );
}

const StudentRow = memo(function StudentRow({
  student,
  mark,
  changed,
  readOnly,
  onMark,
  t,
}: {
  student: EnrolledStudent;
  mark: Mark | undefined;
  changed: boolean;
  readOnly: boolean;
  onMark: (studentId: number, change: Partial<Mark>) => void;
  t: T;
}) {
  const name = listName(student);
  function onKey(event: KeyboardEvent<HTMLTableRowElement>) {
    if (readOnly) return;
    if (event.target instanceof HTMLInputElement && event.target.type === "text") return;
    const status = SHORTCUTS[event.key.toLowerCase()];
    if (status && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      onMark(student.id, { status });
    }
  }
  return (
    <tr onKeyDown={onKey} data-changed={changed || undefined}>
      <td className="mono">{student.student_id}</td>
      <th scope="row" className="row-header">
        {name}
      </th>
      <td>
        <div className="status-group" role="radiogroup" aria-label={t("attendance.statusFor", { name })}>
          {STATUSES.map((status) => (
            <label key={status}>
              <input
                type="radio"
                name={`status-${student.id}`}
                value={status}
                checked={mark?.status === status}
                disabled={readOnly}
                onChange={() => onMark(student.id, { status })}
              />
              {t(`attendance.${status}`)}
            </label>
          ))}
        </div>
      </td>
      <td>
        <input
          className="input"
          aria-label={t("attendance.notesFor", { name })}
          value={mark?.notes ?? ""}
          disabled={readOnly || !mark}
          onChange={(event) => onMark(student.id, { notes: event.target.value })}
        />
      </td>
    </tr>
  );
});
