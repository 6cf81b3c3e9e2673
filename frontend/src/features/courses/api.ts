import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { useSaveRecord } from "../../api/useSaveRecord";
import type { components } from "../../api/schema";
import type { ListParams } from "../../lib/useListParams";
import { gradeKeys } from "../grades/queryKeys";
import { courseKeys } from "./queryKeys";

export type Course = components["schemas"]["CourseRead"];
export type CourseCreate = components["schemas"]["CourseCreate"];
export type EvaluationRule = components["schemas"]["EvaluationRule"];

/** The course list's filters (H3's list params): a term, an academic year, a teacher. */
export interface CourseListParams extends ListParams {
  term_id?: number;
  academic_year_id?: number;
  teacher_id?: number;
}

export function useCourses(params: CourseListParams) {
  return useQuery({
    queryKey: courseKeys.list(params),
    queryFn: () => unwrap(api.GET("/api/v1/courses", { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}

/** Every active course, for pickers (a school has far fewer than the 500 a page can hold). */
export function useCourseOptions() {
  return useQuery({
    queryKey: courseKeys.options(),
    queryFn: () =>
      unwrap(api.GET("/api/v1/courses", { params: { query: { limit: 500, sort: "course_code" } } })),
    select: (page) => page.items,
    staleTime: 60_000,
  });
}

export function useCourse(id: number | null) {
  return useQuery({
    queryKey: courseKeys.detail(id ?? 0),
    queryFn: () =>
      unwrap(api.GET("/api/v1/courses/{course_id}", { params: { path: { course_id: id ?? 0 } } })),
    enabled: id !== null,
  });
}

export function useSaveCourse(id: number | null) {
  return useSaveRecord({
    id,
    create: (body: CourseCreate) => unwrap(api.POST("/api/v1/courses", { body })),
    update: (courseId, body) =>
      unwrap(
        api.PATCH("/api/v1/courses/{course_id}", {
          params: { path: { course_id: courseId } },
          // An update leaves out what it does not set (semester and year come from the term when there is one).
          body: {
            ...body,
            semester: body.semester ?? undefined,
            year: body.year ?? undefined,
            term_id: body.term_id ?? undefined,
          },
        }),
      ),
    detailKey: courseKeys.detail,
    // The evaluation rules and the absence penalty feed every final grade in the course.
    refresh: [courseKeys.all, gradeKeys.finalGrades()],
  });
}
