/** Every cache key for attendance: `all` covers a course-day's records and the per-student summaries. */
export const attendanceKeys = {
  all: ["attendance"] as const,
  day: (courseId: number, date: string) =>
    [...attendanceKeys.all, "day", { course_id: courseId, date }] as const,
  summaries: () => [...attendanceKeys.all, "summary"] as const,
  summary: (studentId: number, courseId: number) =>
    [...attendanceKeys.summaries(), studentId, courseId] as const,
};
