import { QueryClient, type QueryKey } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { authKeys } from "../auth/queryKeys";
import { attendanceKeys } from "./attendance/queryKeys";
import { courseKeys } from "./courses/queryKeys";
import { dashboardKeys } from "./dashboard/queryKeys";
import { gradeKeys } from "./grades/queryKeys";
import { enrollmentKeys, studentKeys } from "./students/queryKeys";

// One cached entry under every key the app uses, named so a failure says which one.
const CACHED: Record<string, QueryKey> = {
  me: authKeys.me("tok"),
  studentList: studentKeys.list({ limit: 20, offset: 0 }),
  student: studentKeys.detail(7),
  enrollments: enrollmentKeys.ofStudent(7),
  courseList: courseKeys.list({ limit: 20, offset: 0 }),
  courseOptions: courseKeys.options(),
  course: courseKeys.detail(3),
  courseStudents: courseKeys.students(3),
  studentGrades: gradeKeys.ofStudent(7),
  courseGrades: gradeKeys.ofCategory(3, "Exams"),
  finalGrade: gradeKeys.finalGrade(7, 3),
  attendanceDay: attendanceKeys.day(3, "2025-11-25"),
  attendanceSummary: attendanceKeys.summary(7, 3),
  dashboard: dashboardKeys.summary(),
};

/** The names of the cached entries that invalidating `prefix` marks stale. */
async function invalidated(prefix: QueryKey): Promise<string[]> {
  const client = new QueryClient();
  for (const key of Object.values(CACHED)) client.setQueryData(key, 1);
  await client.invalidateQueries({ queryKey: prefix, refetchType: "none" });
  return Object.entries(CACHED)
    .filter(([, key]) => client.getQueryState(key)?.isInvalidated)
    .map(([name]) => name);
}

describe("query keys: what each save invalidates", () => {
  it("a student save refreshes the lists, not another student's page", async () => {
    expect(await invalidated(studentKeys.lists())).toEqual(["studentList"]);
    expect(await invalidated(studentKeys.all)).toEqual(["studentList", "student"]);
  });

  it("a course save refreshes lists, pickers, the course and its roster; final grades separately", async () => {
    expect(await invalidated(courseKeys.all)).toEqual([
      "courseList",
      "courseOptions",
      "course",
      "courseStudents",
    ]);
    expect(await invalidated(gradeKeys.finalGrades())).toEqual(["finalGrade"]);
  });

  it("a grade save refreshes both grade lists and the final grades", async () => {
    expect(await invalidated(gradeKeys.all)).toEqual(["studentGrades", "courseGrades", "finalGrade"]);
  });

  it("an attendance save refreshes the day's records and the summaries", async () => {
    expect(await invalidated(attendanceKeys.all)).toEqual(["attendanceDay", "attendanceSummary"]);
    expect(await invalidated(dashboardKeys.all)).toEqual(["dashboard"]);
  });

  it("enrolling refreshes enrollments only", async () => {
    expect(await invalidated(enrollmentKeys.all)).toEqual(["enrollments"]);
  });

  it("each signed-in token has its own entry", () => {
    expect(authKeys.me("a")).not.toEqual(authKeys.me("b"));
  });
});
