import { useState } from "react";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { todayIso } from "../../lib/dates";
import { StudentPicker } from "../classes/StudentPicker";
import { RecordDateField, RecordForm } from "../performance/RecordLog";
import { useSaveHighlight, type Highlight } from "./api";

/** Record a highlight of a student's term, or correct one (`editing`). */
export function HighlightForm({
  editing,
  initialStudent,
  onDone,
}: {
  editing: Highlight | null;
  initialStudent: number | null;
  onDone: () => void;
}) {
  const t = useT();
  const save = useSaveHighlight();
  const [studentId, setStudentId] = useState<number | null>(editing?.student_id ?? initialStudent);
  const [semester, setSemester] = useState(editing?.semester ?? "");
  const [category, setCategory] = useState(editing?.category ?? "");
  const [rating, setRating] = useState(editing?.rating ? String(editing.rating) : "");
  const [text, setText] = useState(editing?.highlight_text ?? "");
  const [date, setDate] = useState(editing?.date_recorded ?? todayIso());
  const [positive, setPositive] = useState(editing?.is_positive ?? true);

  return (
    <RecordForm
      title={t(editing ? "highlights.editTitle" : "highlights.newTitle")}
      labelledBy="highlight-form"
      editing={editing}
      save={save}
      createLabel={t("highlights.create")}
      onDone={onDone}
      body={() => ({
        student_id: studentId ?? 0,
        semester: semester.trim(),
        category: category.trim(),
        rating: rating ? Number(rating) : null,
        highlight_text: text.trim(),
        date_recorded: date,
        is_positive: positive,
      })}
    >
      {(err) => (
        <>
          {editing === null && (
            <StudentPicker
              label={t("performance.student")}
              value={studentId}
              onChange={setStudentId}
              error={err("student_id")}
            />
          )}
          <div className="form-grid">
            <TextField
              label={t("highlights.semester")}
              value={semester}
              error={err("semester")}
              onChange={(event) => setSemester(event.target.value)}
            />
            <TextField
              label={t("performance.category")}
              value={category}
              error={err("category")}
              onChange={(event) => setCategory(event.target.value)}
            />
            <SelectField
              label={t("highlights.rating")}
              value={rating}
              error={err("rating")}
              onChange={(event) => setRating(event.target.value)}
            >
              <option value="">{t("highlights.noRating")}</option>
              {[1, 2, 3, 4, 5].map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </SelectField>
            <RecordDateField value={date} error={err("date_recorded")} onChange={setDate} />
          </div>
          <TextAreaField
            label={t("highlights.text")}
            value={text}
            rows={3}
            error={err("highlight_text")}
            onChange={(event) => setText(event.target.value)}
          />
          <CheckboxField
            label={t("highlights.positive")}
            checked={positive}
            onChange={(event) => setPositive(event.target.checked)}
          />
        </>
      )}
    </RecordForm>
  );
}
