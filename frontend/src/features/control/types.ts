/** /health/database is typed as a free-form object in OpenAPI; this is its shape (backend/db/health.py). */
export type HealthStatus = "pass" | "warn" | "fail";
export type EngineKind = "sqlite" | "postgresql";

export interface HealthWarning {
  code: string;
  message: string;
  action: string;
}

export interface HealthReport {
  status: HealthStatus;
  engine: EngineKind;
  dialect: string;
  driver: string;
  url: string;
  resolved_from: string;
  database: string | null;
  host: string | null;
  port: number | null;
  checked_at: string;
  latency_ms?: number;
  server_version?: string;
  size_bytes?: number;
  journal_mode?: string;
  wal_size_bytes?: number;
  row_counts_exact?: boolean;
  tables?: { name: string; rows: number | null }[];
  schema?: { current: string | null; head: string; up_to_date: boolean };
  pool?: { class: string; size?: number; checked_in?: number; checked_out?: number; overflow?: number };
  backup?: { last_at: string | null; age_hours: number | null };
  error?: string;
  warnings: HealthWarning[];
}
