import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { operations } from "../../api/schema";

type Operation = operations["control-migration_readiness"];
/** The 200 body as the generated client types it (the route returns a plain dict, so a free-form object). */
export type ReadinessBody = Operation["responses"][200]["content"]["application/json"];

/** One finding of the migration tool's preflight (backend/transfer/preflight.py Problem.as_dict). */
export interface ReadinessProblem {
  kind: string;
  column: string;
  primary_key: Record<string, unknown>;
  value: string;
  message: string;
}

export interface ReadinessTable {
  name: string;
  rows: number;
  problems: ReadinessProblem[];
  problem_count: number;
}

/** What backend/api/control_migration.py answers on SQLite. */
export interface ReadinessReport extends ReadinessBody {
  engine: "sqlite";
  source: string;
  ready: boolean;
  tables: ReadinessTable[];
  problems_total: number;
  next_commands: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isString = (value: unknown): value is string => typeof value === "string";
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

function isProblem(value: unknown): value is ReadinessProblem {
  return (
    isRecord(value) &&
    isString(value.kind) &&
    isString(value.column) &&
    isRecord(value.primary_key) &&
    isString(value.value) &&
    isString(value.message)
  );
}

function isTable(value: unknown): value is ReadinessTable {
  return (
    isRecord(value) &&
    isString(value.name) &&
    isCount(value.rows) &&
    isCount(value.problem_count) &&
    Array.isArray(value.problems) &&
    value.problems.every(isProblem)
  );
}

/**
 * Narrow the generated free-form body to the report the tab draws. A server that answers another
 * shape (a version mismatch) gets one clear error instead of a half-drawn page.
 */
export function parseReadiness(body: ReadinessBody): ReadinessReport {
  const ok =
    body.engine === "sqlite" &&
    isString(body.source) &&
    typeof body.ready === "boolean" &&
    isCount(body.problems_total) &&
    Array.isArray(body.tables) &&
    body.tables.every(isTable) &&
    Array.isArray(body.next_commands) &&
    body.next_commands.every(isString);
  if (!ok) {
    throw new ApiError(
      200,
      "The server's readiness report has an unexpected shape: update the web app and the server to the same version.",
      null,
      {},
    );
  }
  return body as ReadinessReport;
}

/** Run the preflight on the live SQLite data (read-only); on PostgreSQL the server answers 409 with why. */
export function useReadinessCheck() {
  return useMutation({
    mutationFn: async () => parseReadiness(await unwrap(api.POST("/api/v1/control/migration-readiness"))),
  });
}

/** A 409 is the server saying it already runs on PostgreSQL; its detail is the sentence to show. */
export function nothingToMigrate(error: unknown): string | null {
  return error instanceof ApiError && error.status === 409 ? error.detail : null;
}

/** A 404/405 means a server older than the readiness route. */
export function isUnavailable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

/** A primary key as a person reads it: `id=7`, or `student_id=3, course_id=5`. */
export function formatKey(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([name, value]) => `${name}=${value === null ? "NULL" : String(value)}`)
    .join(", ");
}
