import type { StudentListParams } from "./api";

/** Every cache key of the students feature; a save invalidates by the broadest prefix it changes. */
export const studentKeys = {
  all: ["students"] as const,
  lists: () => [...studentKeys.all, "list"] as const,
  list: (params: StudentListParams) => [...studentKeys.lists(), params] as const,
  detail: (id: number) => [...studentKeys.all, "detail", id] as const,
};

/** A student's enrollments (enrolling happens on the student's page). */
export const enrollmentKeys = {
  all: ["enrollments"] as const,
  ofStudent: (studentId: number) => [...enrollmentKeys.all, { student_id: studentId }] as const,
};
