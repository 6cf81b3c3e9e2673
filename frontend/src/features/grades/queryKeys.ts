/**
 * Every cache key for grades: `all` covers the grade lists and the computed final grades, so a
 * grade save invalidates it whole; attendance and course-rule changes invalidate `finalGrades()`.
 */
export const gradeKeys = {
  all: ["grades"] as const,
  lists: () => [...gradeKeys.all, "list"] as const,
  ofStudent: (studentId: number) => [...gradeKeys.lists(), { student_id: studentId }] as const,
  ofCategory: (courseId: number, category: string) =>
    [...gradeKeys.lists(), { course_id: courseId, category }] as const,
  finalGrades: () => [...gradeKeys.all, "final-grade"] as const,
  finalGrade: (studentId: number, courseId: number) =>
    [...gradeKeys.finalGrades(), studentId, courseId] as const,
};
