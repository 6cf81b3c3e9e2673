import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { z } from "zod";
import { api, unwrap } from "../../api/client";
import { Alert, Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { SelectField, TextField } from "../../components/Field";
import { PageHeader } from "../../components/Layout";
import { useLeaveWarning } from "../../components/useLeaveWarning";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatDate, todayIso } from "../../lib/dates";
import { useSearch } from "../../lib/searchParams";
import { ClassPicker } from "../classes/ClassPicker";
import { useCourse, type Course } from "../courses/api";
import { useClassList } from "../classes/api";
import { useMayTeach } from "../classes/access";
import { allPages } from "../classes/allPages";
import { dashboardKeys } from "../dashboard/queryKeys";
import { gradeKeys } from "../grades/queryKeys";
import { AttendanceForm, type Mark, type Status } from "./AttendanceForm";
import { attendanceKeys } from "./queryKeys";

// /attendance?course=&date=&period= (the period bounds are the API's).
const attendanceSearch = z.object({
  course: z.coerce.number().int().positive().optional(),
  date: z.iso.date().default(() => todayIso()),
  period: z.coerce.number().int().min(1).max(24).default(1),
});

export function AttendancePage() {
  const { t, locale } = useI18n();
  const [search, update] = useSearch(attendanceSearch);
  const courseId = search.course ?? null;
  const { date, period } = search;
  const course = useCourse(courseId);
  const today = todayIso();
  // Attendance is taken within the course's term and never ahead of today (the API refuses both).
  const term = course.data?.term ?? null;
  const lastDay = term && term.ends_on < today ? term.ends_on : today;
  const periods = course.data?.periods_per_day ?? 1;
  // Marks changed and not saved yet: another course, day or page would lose them.
  const [unsaved, setUnsaved] = useState(0);
  const confirmLeave = useLeaveWarning(
    unsaved > 0,
    t(pluralKey("attendance.unsaved", unsaved, locale), { count: unsaved }),
  );
  const change = useCallback(
    (changes: Parameters<typeof update>[0]) => {
      if (confirmLeave()) {
        setUnsaved(0);
        update(changes);
      }
    },
    [confirmLeave, update],
  );

  return (
    <>
      <PageHeader title={t("attendance.title")} description={t("attendance.description")} />
      <div className="stack">
        <div className="card row">
          <ClassPicker value={courseId} onChange={(id) => change({ course: id })} />
          <TextField
            label={t("attendance.date")}
            type="date"
            value={date}
            min={term?.starts_on}
            max={lastDay}
            onChange={(event) => change({ date: event.target.value })}
          />
          {periods > 1 && (
            <SelectField
              label={t("attendance.period")}
              value={period}
              onChange={(event) => change({ period: event.target.value })}
            >
              {Array.from({ length: periods }, (_, index) => (
                <option key={index + 1} value={index + 1}>
                  {t("attendance.periodN", { n: index + 1 })}
                </option>
              ))}
            </SelectField>
          )}
        </div>
        <ErrorAlert error={course.error} />
        {courseId === null ? (
          <Empty>{t("attendance.chooseCourse")}</Empty>
        ) : date > today ? (
          <Alert tone="warn">{t("attendance.futureDate")}</Alert>
        ) : term && (date < term.starts_on || date > term.ends_on) ? (
          <Alert tone="warn">
            {t("attendance.outsideTerm", {
              term: term.name,
              from: formatDate(term.starts_on, locale),
              to: formatDate(term.ends_on, locale),
            })}
          </Alert>
        ) : period > periods ? (
          <Alert tone="warn">
            {t(pluralKey("attendance.noSuchPeriod", periods, locale), { count: periods })}
          </Alert>
        ) : (
          course.data && (
            <AttendanceSheet
              key={`${courseId}-${date}-${period}`}
              course={course.data}
              date={date}
              period={period}
              onUnsaved={setUnsaved}
            />
          )
        )}
      </div>
    </>
  );
}

function useSaveAttendance(courseId: number, date: string, period: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (records: { student_id: number; status: Status; notes: string | null }[]) =>
      unwrap(
        api.POST("/api/v1/attendance/bulk", {
          body: { course_id: courseId, date, period_number: period, records },
        }),
      ),
    onSuccess: async () => {
      // Records and summaries, the absence penalty in final grades, today's counts.
      for (const queryKey of [attendanceKeys.all, gradeKeys.finalGrades(), dashboardKeys.all]) {
        await queryClient.invalidateQueries({ queryKey });
      }
    },
  });
}

export type AttendanceSaver = ReturnType<typeof useSaveAttendance>;

function AttendanceSheet({
  course,
  date,
  period,
  onUnsaved,
}: {
  course: Course;
  date: string;
  period: number;
  onUnsaved: (count: number) => void;
}) {
  const t = useI18n().t;
  const students = useClassList(course.id);
  const mayMark = useMayTeach(course);
  const existing = useQuery({
    queryKey: attendanceKeys.day(course.id, date),
    // Every period of the day, however large the class (all pages).
    queryFn: () =>
      allPages((offset, limit) =>
        unwrap(
          api.GET("/api/v1/attendance", {
            params: { query: { course_id: course.id, date_from: date, date_to: date, limit, offset } },
          }),
        ),
      ),
  });
  const save = useSaveAttendance(course.id, date, period);

  if (students.isPending || existing.isPending) return <Loading />;
  if (students.error || existing.error) return <ErrorAlert error={students.error ?? existing.error} />;
  const list = students.data;
  if (list.length === 0) return <Empty>{t("attendance.noStudents")}</Empty>;

  // What was already recorded for this course-day is the starting point of the sheet.
  const initial: Record<number, Mark> = {};
  for (const record of existing.data) {
    if (record.period_number === period)
      initial[record.student_id] = { status: record.status, notes: record.notes ?? "" };
  }
  return (
    <>
      {!mayMark && <Alert tone="info">{t("attendance.readOnly")}</Alert>}
      <AttendanceForm list={list} initial={initial} save={save} readOnly={!mayMark} onUnsaved={onUnsaved} />
    </>
  );
}
