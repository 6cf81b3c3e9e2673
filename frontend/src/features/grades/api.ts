import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { allPages } from "../classes/allPages";
import { dashboardKeys } from "../dashboard/queryKeys";
import { gradeKeys } from "./queryKeys";

export type Grade = components["schemas"]["GradeRead"];

/** Every grade of one category of a course (all pages: a class of hundreds has thousands). */
export function useCategoryGrades(courseId: number, category: string) {
  return useQuery({
    queryKey: gradeKeys.ofCategory(courseId, category),
    queryFn: () =>
      allPages((offset, limit) =>
        unwrap(
          api.GET("/api/v1/grades", {
            params: { query: { course_id: courseId, category, limit, offset, sort: "id" } },
          }),
        ),
      ),
    enabled: category !== "",
  });
}

/** Delete one grade (a wrong entry); the lists and every final grade are read again. */
export function useDeleteGrade() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (gradeId: number) =>
      unwrap(api.DELETE("/api/v1/grades/{grade_id}", { params: { path: { grade_id: gradeId } } })),
    onSuccess: async () => {
      for (const queryKey of [gradeKeys.all, dashboardKeys.all]) {
        await queryClient.invalidateQueries({ queryKey });
      }
    },
  });
}
