import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { classKeys } from "../classes/api";
import { PAGE_LIMIT } from "../classes/allPages";
import { dashboardKeys } from "../dashboard/queryKeys";
import { enrollmentKeys } from "../students/queryKeys";
import { courseKeys } from "./queryKeys";

export type ClassListEntry = components["schemas"]["ClassListEntry"];
export type EnrollmentStatus = components["schemas"]["EnrollmentStatus"];
export type BulkResult = components["schemas"]["EnrollmentBulkResult"];

export interface ClassListParams {
  q?: string;
  status?: EnrollmentStatus;
  sort: string;
  order: "asc" | "desc";
  limit: number;
  offset: number;
}

/** A course's students with their standing (final grade so far, completeness, attendance). */
export function useClassListPage(courseId: number, params: ClassListParams) {
  return useQuery({
    queryKey: [...courseKeys.students(courseId), "class-list", params] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/courses/{course_id}/class-list", {
          params: { path: { course_id: courseId }, query: params },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** What an enrolment change makes stale: class lists and sheets, students' pages, My classes, the dashboard. */
async function refreshEnrolments(queryClient: ReturnType<typeof useQueryClient>, courseId: number) {
  for (const queryKey of [
    courseKeys.students(courseId),
    enrollmentKeys.all,
    classKeys.all,
    dashboardKeys.all,
  ]) {
    await queryClient.invalidateQueries({ queryKey });
  }
}

/** The API's bulk limit per request; a larger selection goes in several. */
const BULK = PAGE_LIMIT;

/** Enrol many students at once; the counts of every request are added up. */
export function useBulkEnroll(courseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (studentIds: number[]) => {
      const total = { enrolled: 0, reenrolled: 0, already_enrolled: 0, refused: 0 };
      const refusals: BulkResult["refusals"] = [];
      for (let start = 0; start < studentIds.length; start += BULK) {
        const result = await unwrap(
          api.POST("/api/v1/courses/{course_id}/enrollments/bulk", {
            params: { path: { course_id: courseId } },
            body: { student_ids: studentIds.slice(start, start + BULK) },
          }),
        );
        total.enrolled += result.enrolled;
        total.reenrolled += result.reenrolled;
        total.already_enrolled += result.already_enrolled;
        total.refused += result.refused;
        refusals.push(...result.refusals);
      }
      return { ...total, refusals };
    },
    onSuccess: () => refreshEnrolments(queryClient, courseId),
  });
}

/** Drop a student from the course on a day, for a reason (kept in the class list's history). */
export function useDrop(courseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      enrollmentId,
      droppedOn,
      reason,
    }: {
      enrollmentId: number;
      droppedOn: string;
      reason: string;
    }) =>
      unwrap(
        api.POST("/api/v1/enrollments/{enrollment_id}/drop", {
          params: { path: { enrollment_id: enrollmentId } },
          body: { dropped_on: droppedOn, reason },
        }),
      ),
    onSuccess: () => refreshEnrolments(queryClient, courseId),
  });
}
