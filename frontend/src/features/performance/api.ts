import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useRecordPage, useRecordWrite } from "./recordApi";

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
  return useRecordPage(performanceKeys.list(filters), () =>
    unwrap(api.GET("/api/v1/daily-performance", { params: { query: filters } })),
  );
}

/** Record a new score, or change one (`id`). */
export function useSavePerformance() {
  return useRecordWrite(
    performanceKeys.all,
    ({ id, body }: { id: number | null; body: PerformanceCreate }) =>
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
  );
}

export function useDeletePerformance() {
  return useRecordWrite(performanceKeys.all, (id: number) =>
    unwrap(
      api.DELETE("/api/v1/daily-performance/{performance_id}", {
        params: { path: { performance_id: id } },
      }),
    ),
  );
}
