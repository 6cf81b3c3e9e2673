"""The shape of a migration plan: tables and their columns reduced to the kind that decides how
their SQLite values are checked, copied and compared. Free of SQLAlchemy, so the render worker
process (render_worker.py) starts in milliseconds."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    INT4 = "integer"
    INT8 = "bigint"
    BOOL = "boolean"
    FLOAT = "float"
    NUMERIC = "numeric"
    TEXT = "text"
    ENUM = "enum"
    DATE = "date"
    DATETIME = "datetime"
    JSON = "json"


@dataclass(frozen=True)
class ColumnPlan:
    name: str
    kind: Kind
    nullable: bool
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    enum_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKeyPlan:
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]


@dataclass(frozen=True)
class TablePlan:
    name: str
    columns: tuple[ColumnPlan, ...]
    primary_key: tuple[str, ...]
    uniques: tuple[tuple[str, ...], ...]
    foreign_keys: tuple[ForeignKeyPlan, ...]
    # Unique only among the rows a predicate (SQLite SQL) picks, e.g. one current term.
    partial_uniques: tuple[tuple[tuple[str, ...], str], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]
