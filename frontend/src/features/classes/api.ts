import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { courseKeys } from "../courses/queryKeys";
import { allPages } from "./allPages";

export type MyClass = components["schemas"]["MyClass"];

/** Every cache key of My classes (enrolment and course changes invalidate `all`). */
export const classKeys = {
  all: ["my-classes"] as const,
  mine: () => [...classKeys.all, "mine"] as const,
};

/** The classes the signed-in teacher teaches this term (admins and viewers: every class). */
export function useMyClasses() {
  return useQuery({
    queryKey: classKeys.mine(),
    queryFn: () => unwrap(api.GET("/api/v1/me/classes")),
  });
}

/**
 * The students actively enrolled in a course, all of them (page by page), by family name: the rows
 * of its attendance and grade sheets. Dropped students are not on a sheet.
 */
export function useClassList(courseId: number | null) {
  return useQuery({
    queryKey: [...courseKeys.students(courseId ?? 0), "active"] as const,
    queryFn: () =>
      allPages((offset, limit) =>
        unwrap(
          api.GET("/api/v1/courses/{course_id}/students", {
            params: {
              path: { course_id: courseId ?? 0 },
              query: { status: "active", sort: "last_name", limit, offset },
            },
          }),
        ),
      ),
    enabled: courseId !== null,
  });
}
