import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { courseKeys } from "../courses/queryKeys";
import { dashboardKeys } from "../dashboard/queryKeys";
import { studentKeys } from "../students/queryKeys";
import { trashKeys } from "./queryKeys";

export type TrashKind = "student" | "course";
export type DeletedStudent = components["schemas"]["StudentRead"];
export type DeletedCourse = components["schemas"]["CourseRead"];
export type PurgeReport = components["schemas"]["PurgeReport"];
export type PurgePreview = components["schemas"]["PurgePreview"];

/** A deleted row as the trash shows it, whichever its kind. */
export interface TrashRow {
  id: number;
  code: string;
  name: string;
  deletedAt: string;
}

const PAGE = 500;
// The lists answer the deleted rows alone (only_deleted), newest first; past this many the trash
// stops reading and says it shows only the newest.
const MAX_SHOWN = 20_000;

async function readAll<Row>(
  fetchPage: (offset: number) => Promise<{ items: Row[]; total: number }>,
): Promise<{ rows: Row[]; complete: boolean }> {
  const rows: Row[] = [];
  for (let offset = 0; offset < MAX_SHOWN; offset += PAGE) {
    const page = await fetchPage(offset);
    rows.push(...page.items);
    if (offset + PAGE >= page.total) return { rows, complete: true };
  }
  return { rows, complete: false };
}

async function deletedRows(kind: TrashKind): Promise<{ rows: TrashRow[]; complete: boolean }> {
  const query = { only_deleted: true, limit: PAGE, sort: "deleted_at", order: "desc" } as const;
  if (kind === "student") {
    const found = await readAll((offset) =>
      unwrap(api.GET("/api/v1/students", { params: { query: { ...query, offset } } })),
    );
    const rows = found.rows.map((s) => ({
      id: s.id,
      code: s.student_id,
      name: `${s.last_name}, ${s.first_name}`,
      deletedAt: s.deleted_at ?? "",
    }));
    return { rows, complete: found.complete };
  }
  const found = await readAll((offset) =>
    unwrap(api.GET("/api/v1/courses", { params: { query: { ...query, offset } } })),
  );
  const rows = found.rows.map((c) => ({
    id: c.id,
    code: c.course_code,
    name: c.course_name,
    deletedAt: c.deleted_at ?? "",
  }));
  return { rows, complete: found.complete };
}

export function useDeleted(kind: TrashKind) {
  return useQuery({ queryKey: trashKeys.deleted(kind), queryFn: () => deletedRows(kind) });
}

/** What erasing a row takes with it, counted by the API before the admin confirms (purge report keys). */
export type Losses = Record<string, number>;

async function losses(kind: TrashKind, id: number): Promise<Losses> {
  const preview =
    kind === "student"
      ? await unwrap(
          api.GET("/api/v1/students/{student_id}/purge-preview", { params: { path: { student_id: id } } }),
        )
      : await unwrap(
          api.GET("/api/v1/courses/{course_id}/purge-preview", { params: { path: { course_id: id } } }),
        );
  return preview.would_delete;
}

export function useLosses(kind: TrashKind, id: number | null) {
  return useQuery({
    queryKey: trashKeys.losses(kind, id ?? 0),
    queryFn: () => losses(kind, id ?? 0),
    enabled: id !== null,
  });
}

/** After a restore or an erase, the trash, the lists that show the kind and the dashboard are stale. */
function useRefresh(kind: TrashKind) {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: trashKeys.all });
    await queryClient.invalidateQueries({ queryKey: kind === "student" ? studentKeys.all : courseKeys.all });
    await queryClient.invalidateQueries({ queryKey: dashboardKeys.all });
  };
}

export function useRestore(kind: TrashKind) {
  const refresh = useRefresh(kind);
  return useMutation({
    mutationFn: async (id: number): Promise<void> => {
      if (kind === "student") {
        await unwrap(
          api.POST("/api/v1/students/{student_id}/restore", { params: { path: { student_id: id } } }),
        );
      } else {
        await unwrap(
          api.POST("/api/v1/courses/{course_id}/restore", { params: { path: { course_id: id } } }),
        );
      }
    },
    onSuccess: refresh,
  });
}

export function usePurge(kind: TrashKind) {
  const refresh = useRefresh(kind);
  return useMutation({
    mutationFn: (id: number): Promise<PurgeReport> =>
      kind === "student"
        ? unwrap(api.DELETE("/api/v1/students/{student_id}/purge", { params: { path: { student_id: id } } }))
        : unwrap(api.DELETE("/api/v1/courses/{course_id}/purge", { params: { path: { course_id: id } } })),
    onSuccess: refresh,
  });
}
