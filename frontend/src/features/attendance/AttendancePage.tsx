import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type KeyboardEvent } from "react";
import { z } from "zod";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Button } from "../../components/Button";
import { Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import { DataTable } from "../../components/DataTable";
import { Card, PageHeader } from "../../components/Layout";
import { SaveBar } from "../../components/SaveBar";
import { useT } from "../../i18n/I18nProvider";
import { todayIso } from "../../lib/dates";
import { useSearch } from "../../lib/searchParams";
import { CoursePicker } from "../courses/CoursePicker";
import { listName } from "../students/names";
import { useCourseStudents } from "../courses/api";
import { dashboardKeys } from "../dashboard/queryKeys";
import { gradeKeys } from "../grades/queryKeys";
import { attendanceKeys } from "./queryKeys";
import { studentNameColumn } from "../students/columns";

type Status = components["schemas"]["AttendanceStatus"];
type EnrolledStudent = components["schemas"]["StudentRead"];
const STATUSES: Status[] = ["present", "absent", "late", "excused"];
// One key per status while a student's row has focus: P, A, L, E.
const SHORTCUTS: Record<string, Status> = { p: "present", a: "absent", l: "late", e: "excused" };

interface Mark {
  status: Status;
  notes: string;
}

// /attendance?course=&date=&period= (the period bounds are the API's).
const attendanceSearch = z.object({
  course: z.coerce.number().int().positive().optional(),
  date: z.iso.date().default(() => todayIso()),
  period: z.coerce.number().int().min(1).max(24).default(1),
});

export function AttendancePage() {
  const t = useT();
  const [search, update] = useSearch(attendanceSearch);
  const courseId = search.course ?? null;
  const { date, period } = search;

  return (
    <>
      <PageHeader title={t("attendance.title")} description={t("attendance.description")} />
      <div className="stack">
        <div className="card row">
          <CoursePicker value={courseId} onChange={(id) => update({ course: id })} />
          <TextField
            label={t("attendance.date")}
            type="date"
            value={date}
            onChange={(event) => update({ date: event.target.value })}
          />
          <TextField
            label={t("attendance.period")}
            type="number"
            min={1}
            max={24}
            value={period}
            onChange={(event) => update({ period: event.target.value })}
            style={{ width: 100 }}
          />
        </div>
        {courseId === null ? (
          <Empty>{t("attendance.chooseCourse")}</Empty>
        ) : (
          <AttendanceSheet
            key={`${courseId}-${date}-${period}`}
            courseId={courseId}
            date={date}
            period={period}
          />
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

function AttendanceSheet({ courseId, date, period }: { courseId: number; date: string; period: number }) {
  const t = useT();
  const students = useCourseStudents(courseId);
  const existing = useQuery({
    queryKey: attendanceKeys.day(courseId, date),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/attendance", {
          params: { query: { course_id: courseId, date_from: date, date_to: date, limit: 500 } },
        }),
      ),
  });
  const save = useSaveAttendance(courseId, date, period);

  if (students.isPending || existing.isPending) return <Loading />;
  if (students.error || existing.error) return <ErrorAlert error={students.error ?? existing.error} />;
  const list = students.data;
  if (list.length === 0) return <Empty>{t("attendance.noStudents")}</Empty>;

  // What was already recorded for this course-day is the starting point of the sheet.
  const initial: Record<number, Mark> = {};
  for (const record of existing.data.items) {
    if (record.period_number === period)
      initial[record.student_id] = { status: record.status, notes: record.notes ?? "" };
  }
  return <AttendanceForm list={list} initial={initial} save={save} />;
}

type Saver = ReturnType<typeof useSaveAttendance>;

function AttendanceForm({
  list,
  initial,
  save,
}: {
  list: EnrolledStudent[];
  initial: Record<number, Mark>;
  save: Saver;
}) {
  const t = useT();
  const [marks, setMarks] = useState<Record<number, Mark>>(initial);
  const marked = list.filter((student) => marks[student.id]).length;

  function setStatus(studentId: number, status: Status) {
    save.reset();
    setMarks((current) => ({ ...current, [studentId]: { status, notes: current[studentId]?.notes ?? "" } }));
  }

  function onRowKey(event: KeyboardEvent<HTMLTableRowElement>, studentId: number) {
    if (event.target instanceof HTMLInputElement && event.target.type === "text") return;
    const status = SHORTCUTS[event.key.toLowerCase()];
    if (status && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      setStatus(studentId, status);
    }
  }

  return (
    <Card
      title={t("attendance.sheet")}
      labelledBy="attendance-sheet"
      description={t("attendance.progress", { marked, total: list.length })}
      actions={
        <Button
          onClick={() =>
            setMarks(
              Object.fromEntries(
                list.map((s) => [s.id, { status: "present" as Status, notes: marks[s.id]?.notes ?? "" }]),
              ),
            )
          }
        >
          {t("attendance.markAllPresent")}
        </Button>
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
          save.mutate(records);
        }}
      >
        <p className="field-hint">{t("attendance.keyboardHint")}</p>
        <DataTable
          rows={list}
          rowKey={(student) => student.id}
          rowProps={(student) => ({ onKeyDown: (event) => onRowKey(event, student.id) })}
          columns={[
            { ...studentNameColumn(t, { link: false }), rowHeader: true },
            {
              key: "status",
              header: t("attendance.status"),
              cell: (student) => (
                <div
                  className="status-group"
                  role="radiogroup"
                  aria-label={t("attendance.statusFor", { name: listName(student) })}
                >
                  {STATUSES.map((status) => (
                    <label key={status}>
                      <input
                        type="radio"
                        name={`status-${student.id}`}
                        value={status}
                        checked={marks[student.id]?.status === status}
                        onChange={() => setStatus(student.id, status)}
                      />
                      {t(`attendance.${status}`)}
                    </label>
                  ))}
                </div>
              ),
            },
            {
              key: "notes",
              header: t("attendance.notes"),
              cell: (student) => (
                <input
                  className="input"
                  aria-label={t("attendance.notesFor", { name: listName(student) })}
                  value={marks[student.id]?.notes ?? ""}
                  disabled={!marks[student.id]}
                  onChange={(event) =>
                    setMarks((current) => {
                      const mark = current[student.id];
                      return mark
                        ? { ...current, [student.id]: { ...mark, notes: event.target.value } }
                        : current;
                    })
                  }
                />
              ),
            },
          ]}
        />
        <SaveBar
          save={save}
          saved={
            save.data
              ? t("attendance.saved", { created: save.data.created, updated: save.data.updated })
              : null
          }
          label={t("attendance.save")}
          disabled={marked === 0}
        />
      </form>
    </Card>
  );
}
