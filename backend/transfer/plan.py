"""What to copy: the models' tables in FK order, each column reduced to the kind that decides
how its SQLite values are checked, copied and compared.

A table marked as bookkeeping (``info={models.maintenance.BOOKKEEPING: True}``: the read-only
flag, a job queue's rows) is the database's own state, not the school's: it is neither copied
nor compared, and the target keeps its own (empty) one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeDecorator, TypeEngine

from backend.models import Base
from backend.models.maintenance import BOOKKEEPING
from backend.transfer.plan_types import ColumnPlan, ForeignKeyPlan, Kind, TablePlan

__all__ = [
    "ColumnPlan",
    "ForeignKeyPlan",
    "Kind",
    "Plan",
    "TablePlan",
    "build_plan",
    "column_plan",
    "school_tables",
    "table_plan",
]


@dataclass
class Plan:
    tables: list[TablePlan]
    warnings: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]


# The first base class a column type matches decides its kind; order matters: Enum is a
# String, Float a Numeric, BigInteger an Integer.
_KINDS: tuple[tuple[type[TypeEngine[Any]], Kind], ...] = (
    (SAEnum, Kind.ENUM),
    (BigInteger, Kind.INT8),
    (Integer, Kind.INT4),
    (Boolean, Kind.BOOL),
    (Float, Kind.FLOAT),
    (Numeric, Kind.NUMERIC),
    (String, Kind.TEXT),
    (DateTime, Kind.DATETIME),
    (Date, Kind.DATE),
    (JSON, Kind.JSON),
)


def column_plan(column: Column[object]) -> ColumnPlan:
    """Classify a model column by the PostgreSQL type it becomes."""
    kind_type: TypeEngine[object] = column.type
    if isinstance(kind_type, TypeDecorator):
        kind_type = kind_type.impl_instance
    kind = next((kind for base, kind in _KINDS if isinstance(kind_type, base)), None)
    if kind is None:
        raise TypeError(
            f"{column.table.name}.{column.name}: the migration tool has no rule for {kind_type!r}"
        )
    plan = ColumnPlan(str(column.name), kind, nullable=bool(column.nullable))
    if isinstance(kind_type, SAEnum):
        return replace(plan, enum_values=tuple(str(value) for value in kind_type.enums))
    if kind is Kind.NUMERIC and isinstance(kind_type, Numeric):
        return replace(plan, precision=kind_type.precision, scale=kind_type.scale)
    if kind is Kind.TEXT and isinstance(kind_type, String):
        return replace(plan, length=kind_type.length)
    return plan


def table_plan(table: Table) -> TablePlan:
    # Plain str, not SQLAlchemy's quoted_name: plans are pickled for the render worker.
    uniques = [
        tuple(str(c.name) for c in con.columns)
        for con in table.constraints
        if isinstance(con, UniqueConstraint)
    ]
    partial = []
    for index in (ix for ix in table.indexes if ix.unique):
        columns = tuple(str(c.name) for c in index.columns)
        where = index.dialect_options["sqlite"].get("where")
        if where is None:
            uniques.append(columns)
        else:
            predicate = where.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
            partial.append((columns, str(predicate)))
    return TablePlan(
        name=str(table.name),
        columns=tuple(column_plan(c) for c in table.columns),
        primary_key=tuple(str(c.name) for c in table.primary_key.columns),
        uniques=tuple(sorted(set(uniques))),
        partial_uniques=tuple(sorted(set(partial))),
        foreign_keys=tuple(
            ForeignKeyPlan(
                columns=tuple(str(c.name) for c in fk.columns),
                parent=str(fk.referred_table.name),
                parent_columns=tuple(str(e.column.name) for e in fk.elements),
            )
            for fk in sorted(table.foreign_key_constraints, key=lambda fk: str(fk.name))
        ),
    )


def school_tables() -> list[Table]:
    """The models' tables that hold the school's data, in FK order: all but the bookkeeping ones."""
    return [t for t in Base.metadata.sorted_tables if not t.info.get(BOOKKEEPING)]


def build_plan(selected: Sequence[str] | None = None) -> Plan:
    """All model tables in FK dependency order, or the selected ones; unknown names are warned about."""
    every = [table_plan(t) for t in school_tables()]
    if not selected:
        return Plan(every)
    wanted = list(dict.fromkeys(selected))
    known = {t.name for t in every}
    warnings = [
        f"table {name!r} does not exist in the schema, skipping it (tables: {', '.join(sorted(known))})"
        for name in wanted
        if name not in known
    ]
    return Plan([t for t in every if t.name in wanted], warnings)
