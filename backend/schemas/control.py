"""Control Panel responses that are not backups (those are in schemas/backups.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel


class ReadinessProblem(BaseModel):
    kind: str
    column: str
    primary_key: dict[str, Any]
    value: str
    message: str


class ReadinessTable(BaseModel):
    name: str
    rows: int
    problems: list[ReadinessProblem]
    problem_count: int


class MigrationReadiness(BaseModel):
    engine: Literal["sqlite"]
    source: str
    ready: bool
    tables: list[ReadinessTable]
    problems_total: int
    next_commands: list[str]
