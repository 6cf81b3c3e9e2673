import { useState } from "react";
import { SelectField, TextAreaField, TextField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { todayIso } from "../../lib/dates";
import type { Course } from "../courses/api";
import { CourseOptions } from "../courses/CoursePicker";
import { useClassList } from "../classes/api";
import { listName } from "../students/names";
import { useSavePerformance, type Performance } from "./api";
import { RecordDateField, RecordForm } from "./RecordLog";

/** Record a daily score for a student of a course the user teaches, or correct one (`editing`). */
export function PerformanceForm({
  courses,
  editing,
  initialCourse,
  initialStudent,
  onDone,
}: {
  /** The courses the user may record in. */
  courses: Course[];
  editing: Performance | null;
  initialCourse: number | null;
  initialStudent: number | null;
  onDone: () => void;
}) {
  const t = useT();
  const save = useSavePerformance();
  const [courseId, setCourseId] = useState<number | null>(editing?.course_id ?? initialCourse);
  const [studentId, setStudentId] = useState<number | null>(editing?.student_id ?? initialStudent);
  const [date, setDate] = useState(editing?.date ?? todayIso());
  const [category, setCategory] = useState(editing?.category ?? "");
  const [score, setScore] = useState(editing ? String(editing.score) : "");
  const [maxScore, setMaxScore] = useState(editing ? String(editing.max_score) : "10");
  const [notes, setNotes] = useState(editing?.notes ?? "");
  const students = useClassList(courseId);

  return (
    <RecordForm
      title={t(editing ? "performance.editTitle" : "performance.newTitle")}
      labelledBy="performance-form"
      editing={editing}
      save={save}
      createLabel={t("performance.create")}
      onDone={onDone}
      body={() => ({
        course_id: courseId ?? 0,
        student_id: studentId ?? 0,
        date,
        category: category.trim(),
        score: Number(score.replace(",", ".")),
        max_score: Number(maxScore.replace(",", ".")),
        notes: notes.trim() || null,
      })}
    >
      {(err) => (
        <>
          <div className="form-grid">
            <SelectField
              label={t("grades.course")}
              value={courseId ?? ""}
              disabled={editing !== null}
              error={err("course_id")}
              onChange={(event) => {
                setCourseId(event.target.value ? Number(event.target.value) : null);
                setStudentId(null);
              }}
            >
              <option value="">{t("common.choose")}</option>
              <CourseOptions courses={courses} />
            </SelectField>
            <SelectField
              label={t("performance.student")}
              value={studentId ?? ""}
              disabled={editing !== null || courseId === null}
              error={err("student_id")}
              onChange={(event) => setStudentId(event.target.value ? Number(event.target.value) : null)}
            >
              <option value="">{students.isFetching ? t("common.loading") : t("common.choose")}</option>
              {(students.data ?? []).map((student) => (
                <option key={student.id} value={student.id}>
                  {listName(student)} ({student.student_id})
                </option>
              ))}
            </SelectField>
            <RecordDateField value={date} error={err("date")} onChange={setDate} />
            <TextField
              label={t("performance.category")}
              value={category}
              placeholder={t("performance.categoryPlaceholder")}
              error={err("category")}
              onChange={(event) => setCategory(event.target.value)}
            />
            <TextField
              label={t("performance.score")}
              inputMode="decimal"
              value={score}
              error={err("score")}
              onChange={(event) => setScore(event.target.value)}
            />
            <TextField
              label={t("performance.maxScore")}
              inputMode="decimal"
              value={maxScore}
              error={err("max_score")}
              onChange={(event) => setMaxScore(event.target.value)}
            />
          </div>
          <TextAreaField
            label={t("performance.notes")}
            value={notes}
            rows={2}
            error={err("notes")}
            onChange={(event) => setNotes(event.target.value)}
          />
        </>
      )}
    </RecordForm>
  );
}
