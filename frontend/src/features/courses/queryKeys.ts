import type { CourseListParams } from "./api";

/** Every cache key of the courses feature: `all` covers lists, pickers, details and rosters. */
export const courseKeys = {
  all: ["courses"] as const,
  lists: () => [...courseKeys.all, "list"] as const,
  list: (params: CourseListParams) => [...courseKeys.lists(), params] as const,
  /** Every active course, for pickers. */
  options: () => [...courseKeys.all, "options"] as const,
  detail: (id: number) => [...courseKeys.all, "detail", id] as const,
  students: (id: number) => [...courseKeys.detail(id), "students"] as const,
};
