"""Control Panel → Move to PostgreSQL: the connection, its test, and the move jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

JobKind = Literal["dry_run", "move"]
JobState = Literal["queued", "running", "cancelling", "succeeded", "failed", "cancelled"]
TableState = Literal["waiting", "copying", "verified"]
SSLMODES = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]


class Problem(BaseModel):
    """A stable code and its values; the web app words the message."""

    code: str
    params: dict[str, Any] = Field(default_factory=dict)


class ConfiguredConnection(BaseModel):
    host: str
    port: int
    database: str
    user: str
    sslmode: str
    password_set: bool


class ConfiguredAnswer(BaseModel):
    """The PostgreSQL connection the settings (POSTGRES_*) name, never its password; null if none."""

    configured: ConfiguredConnection | None


class ConnectionInput(BaseModel):
    """The configured connection or one typed in; the password is never stored in clear nor sent back."""

    use_configured: bool
    host: str | None = Field(default=None, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535)
    database: str | None = Field(default=None, max_length=63)
    user: str | None = Field(default=None, max_length=63)
    password: str | None = Field(default=None, max_length=1000)
    sslmode: SSLMODES | None = None


class TableRows(BaseModel):
    name: str
    rows: int


class SessionGroupOut(BaseModel):
    application_name: str
    client: str
    count: int


class ConnectionTest(BaseModel):
    ok: bool
    server_version: str | None = None
    can_create_tables: bool | None = None
    empty: bool | None = None
    tables_with_rows: list[TableRows] = Field(default_factory=list)
    other_sessions: list[SessionGroupOut] = Field(default_factory=list)
    error: Problem | None = None


class MoveStart(BaseModel):
    connection: ConnectionInput
    dry_run: bool
    force_live_target: bool = False
    source_encoding: str | None = Field(default=None, max_length=40)


class JobTarget(BaseModel):
    host: str
    port: int
    database: str
    user: str


class JobTable(BaseModel):
    name: str
    rows_done: int
    rows_total: int
    state: TableState


class JobSummary(BaseModel):
    tables: int
    rows: int
    verified: bool
    seconds: float


class JobNextStep(BaseModel):
    env_lines: list[str]
    restart_command: str


class MoveJob(BaseModel):
    id: str
    kind: JobKind
    state: JobState
    started_by: str | None
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    target: JobTarget
    rows_done: int
    rows_total: int
    rows_per_second: float | None
    seconds_left: float | None
    tables: list[JobTable]
    exit_code: int | None
    error: Problem | None
    summary: JobSummary | None
    next_step: JobNextStep | None


class CurrentMoveJob(RootModel[MoveJob | None]):
    """The job queued or running, else the latest one; null before the first."""


class MoveJobList(BaseModel):
    items: list[MoveJob]


class MoveReport(BaseModel):
    """The migration tool's JSON report, secrets masked (docs/MIGRATION_TOOL.md lists its fields)."""

    model_config = ConfigDict(extra="allow")

    status: str
    exit_code: int | None
