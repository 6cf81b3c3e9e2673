import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useRecordPage, useRecordWrite } from "../performance/recordApi";

export type Highlight = components["schemas"]["HighlightRead"];
export type HighlightCreate = components["schemas"]["HighlightCreate"];

export interface HighlightFilters {
  student_id?: number;
  category?: string;
  is_positive?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

/** Every cache key of highlights: a save or delete invalidates `all`. */
export const highlightKeys = {
  all: ["highlights"] as const,
  list: (filters: HighlightFilters) => [...highlightKeys.all, "list", filters] as const,
};

export function useHighlights(filters: HighlightFilters) {
  return useRecordPage(highlightKeys.list(filters), () =>
    unwrap(api.GET("/api/v1/highlights", { params: { query: filters } })),
  );
}

/** Record a new highlight, or change one (`id`; the student stays). */
export function useSaveHighlight() {
  return useRecordWrite(highlightKeys.all, ({ id, body }: { id: number | null; body: HighlightCreate }) => {
    if (id === null) return unwrap(api.POST("/api/v1/highlights", { body }));
    const { semester, category, rating, highlight_text, date_recorded, is_positive } = body;
    const changes = { semester, category, rating, highlight_text, date_recorded, is_positive };
    return unwrap(
      api.PATCH("/api/v1/highlights/{highlight_id}", {
        params: { path: { highlight_id: id } },
        body: changes,
      }),
    );
  });
}

export function useDeleteHighlight() {
  return useRecordWrite(highlightKeys.all, (id: number) =>
    unwrap(api.DELETE("/api/v1/highlights/{highlight_id}", { params: { path: { highlight_id: id } } })),
  );
}
