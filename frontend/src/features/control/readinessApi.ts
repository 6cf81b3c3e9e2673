import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { components } from "../../api/schema";
import { controlKeys } from "./queryKeys";

export type ReadinessReport = components["schemas"]["MigrationReadiness"];

/** Run the preflight on the live SQLite data (read-only); on PostgreSQL the server answers 409 with why. */
export function useReadinessCheck() {
  return useMutation({
    mutationKey: controlKeys.readiness(),
    mutationFn: () => unwrap(api.POST("/api/v1/control/migration-readiness")),
  });
}

/** A 409 is the server saying it already runs on PostgreSQL; its detail is the sentence to show. */
export function nothingToMigrate(error: unknown): string | null {
  return error instanceof ApiError && error.status === 409 ? error.detail : null;
}

/** A primary key as a person reads it: `id=7`, or `student_id=3, course_id=5`. */
export function formatKey(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([name, value]) => `${name}=${value === null ? "NULL" : String(value)}`)
    .join(", ");
}
