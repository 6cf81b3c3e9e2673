import type { ListParams } from "../../lib/useListParams";

/** Every cache key of the courses feature: `all` covers lists, pickers, details and rosters. */
export const courseKeys = {
  all: ["courses"] as const,
  lists: () => [...courseKeys.all, "list"] as const,
  list: (params: ListParams) => [...courseKeys.lists(), params] as const,
  /** Every active course, for pickers. */
  options: () => [...courseKeys.all, "options"] as const,
  detail: (id: number) => [...courseKeys.all, "detail", id] as const,
  students: (id: number) => [...courseKeys.detail(id), "students"] as const,
};
