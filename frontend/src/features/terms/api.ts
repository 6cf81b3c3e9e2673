import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { courseKeys } from "../courses/queryKeys";
import { dashboardKeys } from "../dashboard/queryKeys";
import { studentKeys } from "../students/queryKeys";
import { termKeys } from "./queryKeys";

export type AcademicYear = components["schemas"]["AcademicYearRead"];
export type Term = components["schemas"]["TermRead"];

/** The dates and name every year and term form edits. */
export interface Period {
  name: string;
  starts_on: string;
  ends_on: string;
}

export function useAcademicYears() {
  return useQuery({
    queryKey: termKeys.years(),
    queryFn: () => unwrap(api.GET("/api/v1/academic-years")),
    staleTime: 60_000,
  });
}

/** Every term of every year (a school has a handful a year), for the admin page and the pickers. */
export function useTerms() {
  return useQuery({
    queryKey: termKeys.terms(),
    queryFn: () => unwrap(api.GET("/api/v1/terms")),
    staleTime: 60_000,
  });
}

/** After a change to the school year, the terms, the courses that show them and the dashboard's figures are stale. */
function useRefresh() {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: termKeys.all });
    await queryClient.invalidateQueries({ queryKey: courseKeys.all });
    await queryClient.invalidateQueries({ queryKey: dashboardKeys.all });
  };
}

export function useSaveYear(id: number | null) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (body: Period) =>
      id === null
        ? unwrap(api.POST("/api/v1/academic-years", { body }))
        : unwrap(api.PATCH("/api/v1/academic-years/{year_id}", { params: { path: { year_id: id } }, body })),
    onSuccess,
  });
}

export function useSaveTerm(id: number | null, yearId: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (body: Period) =>
      id === null
        ? unwrap(api.POST("/api/v1/terms", { body: { ...body, academic_year_id: yearId } }))
        : unwrap(api.PATCH("/api/v1/terms/{term_id}", { params: { path: { term_id: id } }, body })),
    onSuccess,
  });
}

/** Make a year or a term the current one (the one before it stops being current). */
export function useSetCurrent() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: async ({ kind, id }: { kind: "year" | "term"; id: number }): Promise<void> => {
      if (kind === "year") {
        await unwrap(
          api.POST("/api/v1/academic-years/{year_id}/current", { params: { path: { year_id: id } } }),
        );
      } else {
        await unwrap(api.POST("/api/v1/terms/{term_id}/current", { params: { path: { term_id: id } } }));
      }
    },
    onSuccess,
  });
}

/** Remove a year with no terms, or a term no course belongs to (the API refuses otherwise, with a code). */
export function useDeletePeriod() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: async ({ kind, id }: { kind: "year" | "term"; id: number }): Promise<void> => {
      if (kind === "year") {
        await unwrap(api.DELETE("/api/v1/academic-years/{year_id}", { params: { path: { year_id: id } } }));
      } else {
        await unwrap(api.DELETE("/api/v1/terms/{term_id}", { params: { path: { term_id: id } } }));
      }
    },
    onSuccess,
  });
}

export type YearEndPreview = components["schemas"]["YearEndPreview"];
export type YearEndRequest = components["schemas"]["YearEndRequest"];

/** Who would move up a study year and who would graduate; nothing changes. */
export function useYearEndPreview() {
  return useMutation({
    mutationFn: (body: YearEndRequest) => unwrap(api.POST("/api/v1/year-end/preview", { body })),
  });
}

/** Move every active student up a year and graduate the top year (once per academic year). */
export function useYearEndApply() {
  const queryClient = useQueryClient();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: YearEndRequest) => unwrap(api.POST("/api/v1/year-end/apply", { body })),
    onSuccess: async () => {
      await refresh();
      // Every student's study year (and the graduates' active flag) changed.
      await queryClient.invalidateQueries({ queryKey: studentKeys.all });
    },
  });
}
