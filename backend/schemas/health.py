"""The /health/* answers: liveness, readiness and the admin's database report."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

HealthStatus = Literal["pass", "warn", "fail"]
EngineKind = Literal["sqlite", "postgresql"]


class Liveness(BaseModel):
    status: Literal["pass"]


class Readiness(BaseModel):
    status: Literal["pass", "fail"]


class TableRows(BaseModel):
    name: str
    rows: int | None = Field(description="null when the table is missing from the database")


class SchemaFacts(BaseModel):
    current: str | None
    head: str
    up_to_date: bool


class PoolFacts(BaseModel):
    # `class` is a Python keyword; the wire name stays what admins and the guide know.
    pool_class: str = Field(serialization_alias="class")
    # The figures below are QueuePool's: other pools (SQLite's) report only their class.
    size: int | None = None
    checked_in: int | None = None
    checked_out: int | None = None
    overflow: int | None = None
    max_overflow: int | None = None


class BackupFacts(BaseModel):
    last_at: str | None
    age_hours: float | None


class NoParams(BaseModel):
    pass


class SettingsIgnoredParams(BaseModel):
    variables: list[str]


class SchemaBehindParams(BaseModel):
    current: str | None
    head: str


class NoRecentBackupParams(BaseModel):
    age_hours: float | None = Field(description="null when no backup was found")
    max_age_hours: int


class NotWritableParams(BaseModel):
    reason: Literal["file", "side_file", "folder", "filesystem", "refused", "standby", "read_only"] = Field(
        description="file, side_file (-wal/-shm), folder, filesystem, refused: SQLite; "
        "standby, read_only: PostgreSQL"
    )
    path: str | None = Field(description="the file or folder SMS cannot write (SQLite)")


class DiskFullParams(BaseModel):
    seen_at: str = Field(description="when a write last failed for a full disk (ISO 8601, UTC)")


class ReadOnlyModeParams(BaseModel):
    reason: str | None = Field(description="why SMS is read-only, as the switch said it")
    since: str | None = Field(description="when it was turned on (ISO 8601, UTC)")
    set_by: str | None = Field(description="who turned it on: an admin's email or a tool")


class _Warning(BaseModel):
    """What the web app translates by `code` and `params`; `message` and `action` are the English."""

    message: str
    action: str


class SqliteInProductionWarning(_Warning):
    code: Literal["sqlite_in_production"]
    params: NoParams


class SchemaBehindWarning(_Warning):
    code: Literal["schema_behind"]
    params: SchemaBehindParams


class NoRecentBackupWarning(_Warning):
    code: Literal["no_recent_backup"]
    params: NoRecentBackupParams


class SettingsIgnoredWarning(_Warning):
    code: Literal["settings_ignored"]
    params: SettingsIgnoredParams


class UnreachableWarning(_Warning):
    code: Literal["unreachable"]
    params: NoParams


class NotWritableWarning(_Warning):
    code: Literal["not_writable"]
    params: NotWritableParams


class DiskFullWarning(_Warning):
    code: Literal["disk_full"]
    params: DiskFullParams


class ReadOnlyModeWarning(_Warning):
    code: Literal["read_only_mode"]
    params: ReadOnlyModeParams


HealthWarning = Annotated[
    SqliteInProductionWarning
    | SchemaBehindWarning
    | NoRecentBackupWarning
    | SettingsIgnoredWarning
    | UnreachableWarning
    | NotWritableWarning
    | DiskFullWarning
    | ReadOnlyModeWarning,
    Field(discriminator="code"),
]


class DatabaseHealth(BaseModel):
    """The answer of /health/database; never a secret.

    Sent with `exclude_unset`: a field with a default that was not set is left out, not null
    (the server facts when the database did not answer, `journal_mode` on PostgreSQL, `error`
    when it did answer), as the report always was.
    """

    engine: EngineKind
    dialect: str
    driver: str
    url: str = Field(description="the effective URL, password masked as ***")
    resolved_from: str
    database: str | None
    host: str | None
    port: int | None
    checked_at: str
    latency_ms: float | None = None
    server_version: str | None = None
    size_bytes: int | None = None
    journal_mode: str | None = Field(default=None, description="SQLite only")
    wal_size_bytes: int | None = Field(default=None, description="SQLite only")
    row_counts_exact: bool | None = Field(default=None, description="false: PostgreSQL's estimates")
    tables: list[TableRows] | None = None
    # `schema` would shadow a BaseModel attribute; the wire name is still `schema`.
    schema_: SchemaFacts | None = Field(default=None, serialization_alias="schema")
    pool: PoolFacts | None = None
    backup: BackupFacts | None = None
    read_only: bool | None = Field(
        default=None, description="read-only mode (writes answer 503 read_only); left out when unreachable"
    )
    status: HealthStatus
    error: str | None = Field(default=None, description="the driver's error class when unreachable")
    warnings: list[HealthWarning]
