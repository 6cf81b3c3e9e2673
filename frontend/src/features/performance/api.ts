import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

export type Performance = components["schemas"]["PerformanceRead"];
export type PerformanceCreate = components["schemas"]["PerformanceCreate"];

export interface PerformanceFilters {
  course_id?: number;
  student_id?: number;
  category?: string;
  date_from?: string;
  date_to?: string;
  limit: number;
  offset: number;
}

/** Every cache key of daily performance: a save or delete invalidates `all`. */
export const performanceKeys = {
  all: ["daily-performance"] as const,
  list: (filters: PerformanceFilters) => [...performanceKeys.all, "list", filters] as const,
};

export function usePerformanceList(filters: PerformanceFilters) {
  return useQuery({
    queryKey: performanceKeys.list(filters),
    queryFn: () => unwrap(api.GET("/api/v1/daily-performance", { params: { query: filters } })),
    placeholderData: keepPreviousData,
  });
}

/** Record a new score, or change one (`id`). */
export function useSavePerformance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: PerformanceCreate }) =>
      id === null
        ? unwrap(api.POST("/api/v1/daily-performance", { body }))
        : unwrap(
            api.PATCH("/api/v1/daily-performance/{performance_id}", {
              params: { path: { performance_id: id } },
              body: {
                date: body.date,
                category: body.category,
                score: body.score,
                max_score: body.max_score,
                notes: body.notes,
              },
            }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: performanceKeys.all }),
  });
}

export function useDeletePerformance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        api.DELETE("/api/v1/daily-performance/{performance_id}", {
          params: { path: { performance_id: id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: performanceKeys.all }),
  });
}
