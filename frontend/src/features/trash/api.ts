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

/** A deleted row as the trash shows it, whichever its kind. */
export interface TrashRow {
  id: number;
  code: string;
  name: string;
  deletedAt: string;
}

const PAGE = 500;
// The list routes show deleted rows only mixed in with the rest (include_deleted), so the trash
// reads them page by page and keeps the deleted ones; past this many rows it stops and says so.
const MAX_SCANNED = 20_000;

async function scan<Row extends { deleted_at: string | null }>(
  fetchPage: (offset: number) => Promise<{ items: Row[]; total: number }>,
): Promise<{ rows: Row[]; complete: boolean }> {
  const rows: Row[] = [];
  for (let offset = 0; offset < MAX_SCANNED; offset += PAGE) {
    const page = await fetchPage(offset);
    rows.push(...page.items.filter((row) => row.deleted_at !== null));
    if (offset + PAGE >= page.total) return { rows, complete: true };
  }
  return { rows, complete: false };
}

const newestFirst = (a: TrashRow, b: TrashRow) => b.deletedAt.localeCompare(a.deletedAt);

async function deletedRows(kind: TrashKind): Promise<{ rows: TrashRow[]; complete: boolean }> {
  const query = { include_deleted: true, limit: PAGE, sort: "id" } as const;
  if (kind === "student") {
    const found = await scan((offset) =>
      unwrap(api.GET("/api/v1/students", { params: { query: { ...query, offset } } })),
    );
    const rows = found.rows.map((s) => ({
      id: s.id,
      code: s.student_id,
      name: `${s.last_name}, ${s.first_name}`,
      deletedAt: s.deleted_at ?? "",
    }));
    return { rows: rows.sort(newestFirst), complete: found.complete };
  }
  const found = await scan((offset) =>
    unwrap(api.GET("/api/v1/courses", { params: { query: { ...query, offset } } })),
  );
  const rows = found.rows.map((c) => ({
    id: c.id,
    code: c.course_code,
    name: c.course_name,
    deletedAt: c.deleted_at ?? "",
  }));
  return { rows: rows.sort(newestFirst), complete: found.complete };
}

export function useDeleted(kind: TrashKind) {
  return useQuery({ queryKey: trashKeys.deleted(kind), queryFn: () => deletedRows(kind) });
}

/** What erasing a row takes with it, counted before the admin confirms (the purge report says the rest). */
export interface Losses {
  enrollments: number;
  grades: number;
  attendance: number;
}

async function losses(kind: TrashKind, id: number): Promise<Losses> {
  const query = kind === "student" ? { student_id: id, limit: 1 } : { course_id: id, limit: 1 };
  const [enrollments, grades, attendance] = await Promise.all([
    unwrap(api.GET("/api/v1/enrollments", { params: { query } })),
    unwrap(api.GET("/api/v1/grades", { params: { query } })),
    unwrap(api.GET("/api/v1/attendance", { params: { query } })),
  ]);
  return { enrollments: enrollments.total, grades: grades.total, attendance: attendance.total };
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
