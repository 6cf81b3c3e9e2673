import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { fieldError } from "../../api/errors";
import { Button, ButtonLink } from "../../components/Button";
import { ErrorAlert } from "../../components/Feedback";
import { CheckboxField, TextAreaField, TextField } from "../../components/Field";
import { PageHeader } from "../../components/Layout";
import { RouteRecord } from "../../components/RouteRecord";
import { useI18n } from "../../i18n/I18nProvider";
import { todayIso } from "../../lib/dates";
import { useSaveStudent, useStudent, type Student, type StudentCreate } from "./api";

interface FormState {
  student_id: string;
  first_name: string;
  last_name: string;
  email: string;
  date_of_birth: string;
  phone: string;
  enrollment_date: string;
  study_year: string;
  is_active: boolean;
  notes: string;
}

function toForm(student?: Student): FormState {
  return {
    student_id: student?.student_id ?? "",
    first_name: student?.first_name ?? "",
    last_name: student?.last_name ?? "",
    email: student?.email ?? "",
    date_of_birth: student?.date_of_birth ?? "",
    phone: student?.phone ?? "",
    enrollment_date: student?.enrollment_date ?? todayIso(),
    study_year: String(student?.study_year ?? 1),
    is_active: student?.is_active ?? true,
    notes: student?.notes ?? "",
  };
}

/** Blank optional fields are sent as null; the API does the validating and says what is wrong. */
function toBody(form: FormState): StudentCreate {
  return {
    student_id: form.student_id,
    first_name: form.first_name,
    last_name: form.last_name,
    email: form.email,
    date_of_birth: form.date_of_birth || null,
    phone: form.phone || null,
    enrollment_date: form.enrollment_date,
    study_year: form.study_year === "" ? Number.NaN : Number(form.study_year),
    is_active: form.is_active,
    notes: form.notes || null,
  };
}

export function StudentEditPage() {
  return (
    <RouteRecord useRecord={useStudent}>
      {(student) => <StudentForm key={student?.id ?? "new"} student={student} />}
    </RouteRecord>
  );
}

function StudentForm({ student }: { student?: Student }) {
  const words = useI18n();
  const { t } = words;
  const navigate = useNavigate();
  const [form, setForm] = useState<FormState>(() => toForm(student));
  const save = useSaveStudent(student?.id ?? null);
  const error = save.error;

  function set<K extends keyof FormState>(key: K, value: FormState[K]) {
    setForm((current) => ({ ...current, [key]: value }));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate(toBody(form), { onSuccess: (saved) => void navigate(`/students/${saved.id}`) });
  }

  const text = (key: Exclude<keyof FormState, "is_active">) => ({
    name: key,
    value: form[key],
    error: fieldError(error, key, words),
    onChange: (event: { target: { value: string } }) => set(key, event.target.value),
  });

  return (
    <>
      <PageHeader
        title={
          student
            ? t("students.editTitle", { name: `${student.first_name} ${student.last_name}` })
            : t("students.newTitle")
        }
      />
      <form className="card stack" onSubmit={onSubmit} noValidate aria-label={t("students.form")}>
        <ErrorAlert error={error} />
        <div className="form-grid">
          <TextField label={t("students.studentId")} required {...text("student_id")} />
          <TextField
            label={t("students.email")}
            type="email"
            required
            autoComplete="off"
            {...text("email")}
          />
          <TextField label={t("students.firstName")} required {...text("first_name")} />
          <TextField label={t("students.lastName")} required {...text("last_name")} />
          <TextField label={t("students.dateOfBirth")} type="date" {...text("date_of_birth")} />
          <TextField label={t("students.phone")} type="tel" {...text("phone")} />
          <TextField label={t("students.enrollmentDate")} type="date" required {...text("enrollment_date")} />
          <TextField
            label={t("students.studyYear")}
            type="number"
            min={1}
            max={20}
            required
            {...text("study_year")}
          />
          <CheckboxField
            label={t("students.isActive")}
            checked={form.is_active}
            error={fieldError(error, "is_active", words)}
            onChange={(event) => set("is_active", event.target.checked)}
          />
          <TextAreaField label={t("students.notes")} className="span-all" {...text("notes")} />
        </div>
        <div className="row">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {student ? t("common.save") : t("students.create")}
          </Button>
          <ButtonLink to={student ? `/students/${student.id}` : "/students"}>{t("common.cancel")}</ButtonLink>
        </div>
      </form>
    </>
  );
}
