import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { fieldError } from "../../api/errors";
import { useCan } from "../../auth/permissions";
import { Button, ButtonLink } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { CheckboxField, TextAreaField, TextField } from "../../components/Field";
import { RouteRecord } from "../../components/RouteRecord";
import { PageHeader } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { useCourse, useSaveCourse, type Course, type CourseCreate } from "./api";
import { TermSelect } from "../terms/TermSelect";
import { ClassList } from "./ClassList";
import { TeacherPicker } from "./TeacherPicker";
import { useSetCourseTeachers } from "./teachersApi";
import { RulesEditor, type RuleRow } from "./RulesEditor";

type TextKey =
  | "course_code"
  | "course_name"
  | "description"
  | "credits"
  | "semester"
  | "year"
  | "teacher_name"
  | "hours_per_week"
  | "periods_per_day"
  | "absence_penalty"
  | "max_grade"
  | "passing_grade";
type FormState = Record<TextKey, string> & {
  term_id: string;
  teacher_ids: number[];
  is_active: boolean;
  rules: RuleRow[];
};

function toForm(course?: Course): FormState {
  const str = (value: number | string | null | undefined, fallback = "") =>
    value === null || value === undefined ? fallback : String(value);
  return {
    course_code: str(course?.course_code),
    course_name: str(course?.course_name),
    description: str(course?.description),
    credits: str(course?.credits, "3"),
    semester: str(course?.semester),
    year: str(course?.year, String(new Date().getFullYear())),
    teacher_name: str(course?.teacher_name),
    term_id: str(course?.term_id),
    teacher_ids: (course?.teachers ?? []).map((teacher) => teacher.id),
    hours_per_week: str(course?.hours_per_week, "3"),
    periods_per_day: str(course?.periods_per_day, "1"),
    absence_penalty: str(course?.absence_penalty, "0"),
    max_grade: str(course?.max_grade, "100"),
    passing_grade: str(course?.passing_grade, "50"),
    is_active: course?.is_active ?? true,
    rules: (course?.evaluation_rules ?? []).map((rule) => ({
      category: rule.category,
      weight: String(rule.weight),
    })),
  };
}

const num = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));

function toBody(form: FormState): CourseCreate {
  return {
    course_code: form.course_code,
    course_name: form.course_name,
    description: form.description || null,
    credits: num(form.credits),
    // A course in a term takes its semester and year from the term; one without keeps its own.
    ...(form.term_id ? { term_id: Number(form.term_id) } : { semester: form.semester, year: num(form.year) }),
    teacher_name: form.teacher_name || null,
    hours_per_week: num(form.hours_per_week),
    periods_per_day: num(form.periods_per_day),
    absence_penalty: num(form.absence_penalty),
    max_grade: num(form.max_grade),
    passing_grade: num(form.passing_grade),
    is_active: form.is_active,
    evaluation_rules: form.rules.length
      ? form.rules.map((rule) => ({ category: rule.category, weight: num(rule.weight) }))
      : null,
  };
}

export function CourseDetailPage() {
  return (
    <RouteRecord useRecord={useCourse}>
      {(course) => (
        <>
          <CourseForm key={course?.id ?? "new"} course={course} />
          {course && <ClassList course={course} />}
        </>
      )}
    </RouteRecord>
  );
}

function CourseForm({ course }: { course?: Course }) {
  const words = useI18n();
  const { t } = words;
  const navigate = useNavigate();
  const canEdit = useCan()("courses.write");
  const [form, setForm] = useState<FormState>(() => toForm(course));
  const [saved, setSaved] = useState(false);
  const save = useSaveCourse(course?.id ?? null);
  const setTeachers = useSetCourseTeachers();
  const error = save.error ?? setTeachers.error;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    setTeachers.reset();
    const before = (course?.teachers ?? []).map((teacher) => teacher.id);
    const teachersChanged =
      before.length !== form.teacher_ids.length || before.some((id) => !form.teacher_ids.includes(id));
    save.mutate(toBody(form), {
      onSuccess: async (result) => {
        if (teachersChanged)
          await setTeachers.mutateAsync({ courseId: result.id, userIds: form.teacher_ids });
        setSaved(true);
        if (!course) void navigate(`/courses/${result.id}`, { replace: true });
      },
    });
  }

  const text = (key: TextKey) => ({
    name: key,
    value: form[key],
    error: fieldError(error, key, words),
    disabled: !canEdit,
    onChange: (event: { target: { value: string } }) =>
      setForm((current) => ({ ...current, [key]: event.target.value })),
  });

  return (
    <>
      <PageHeader
        title={course ? `${course.course_code} — ${course.course_name}` : t("courses.newTitle")}
        actions={
          course && (
            <>
              <ButtonLink to={`/attendance?course=${course.id}`}>{t("courses.takeAttendance")}</ButtonLink>
              <ButtonLink to={`/grades?course=${course.id}`}>{t("courses.enterGrades")}</ButtonLink>
            </>
          )
        }
      />
      <form className="card stack" onSubmit={onSubmit} noValidate aria-label={t("courses.form")}>
        {saved && <Alert tone="ok">{t("common.saved")}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-grid">
          <TextField label={t("courses.code")} required {...text("course_code")} />
          <TextField label={t("courses.name")} required {...text("course_name")} />
          <TermSelect
            label={t("courses.term")}
            emptyLabel={t("courses.noTerm")}
            name="term_id"
            value={form.term_id}
            disabled={!canEdit}
            error={fieldError(error, "term_id", words)}
            onChange={(event) => setForm((current) => ({ ...current, term_id: event.target.value }))}
          />
          {!form.term_id && (
            <>
              <TextField label={t("courses.semester")} required {...text("semester")} />
              <TextField label={t("courses.year")} type="number" required {...text("year")} />
            </>
          )}
          <TextField label={t("courses.credits")} type="number" {...text("credits")} />
          <TextField label={t("courses.hoursPerWeek")} type="number" step="any" {...text("hours_per_week")} />
          <TextField
            label={t("courses.periodsPerDay")}
            type="number"
            hint={t("courses.periodsPerDayHint")}
            {...text("periods_per_day")}
          />
          <TextField label={t("courses.maxGrade")} type="number" step="any" {...text("max_grade")} />
          <TextField label={t("courses.passingGrade")} type="number" step="any" {...text("passing_grade")} />
          <TextField
            label={t("courses.absencePenalty")}
            type="number"
            step="any"
            hint={t("courses.absencePenaltyHint")}
            {...text("absence_penalty")}
          />
          <CheckboxField
            label={t("courses.isActive")}
            checked={form.is_active}
            disabled={!canEdit}
            onChange={(event) => setForm((current) => ({ ...current, is_active: event.target.checked }))}
          />
          <TeacherPicker
            current={course?.teachers ?? []}
            selected={form.teacher_ids}
            onChange={(teacher_ids) => setForm((current) => ({ ...current, teacher_ids }))}
            editable={canEdit}
            error={fieldError(error, "user_ids.0", words)}
          />
          <TextAreaField
            label={t("courses.descriptionLabel")}
            className="span-all"
            {...text("description")}
          />
          <RulesEditor
            rules={form.rules}
            disabled={!canEdit}
            onChange={(rules) => setForm((current) => ({ ...current, rules }))}
            error={fieldError(error, "evaluation_rules", words)}
            errorFor={(index, field) => fieldError(error, `evaluation_rules.${index}.${field}`, words)}
          />
        </div>
        {canEdit && (
          <div className="row">
            <Button type="submit" variant="primary" busy={save.isPending || setTeachers.isPending}>
              {course ? t("common.save") : t("courses.create")}
            </Button>
            <ButtonLink to="/courses">{t("common.cancel")}</ButtonLink>
          </div>
        )}
      </form>
    </>
  );
}
