"""What to copy: the models' tables in FK order, each column reduced to the kind that decides
how its SQLite values are checked, copied and compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

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
from sqlalchemy.types import TypeDecorator, TypeEngine

from backend.models import Base
from backend.transfer.plan_types import ColumnPlan, ForeignKeyPlan, Kind, TablePlan

__all__ = [
    "ColumnPlan",
    "ForeignKeyPlan",
    "Kind",
    "Plan",
    "TablePlan",
    "build_plan",
    "column_plan",
    "table_plan",
]


@dataclass
class Plan:
    tables: list[TablePlan]
    warnings: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]


def column_plan(column: Column[object]) -> ColumnPlan:
    """Classify a model column by the PostgreSQL type it becomes."""
    kind_type: TypeEngine[object] = column.type
    if isinstance(kind_type, TypeDecorator):
        kind_type = kind_type.impl_instance
    base = partial(ColumnPlan, str(column.name), nullable=bool(column.nullable))
    # Order matters: Enum is a String, Float a Numeric, BigInteger an Integer.
    if isinstance(kind_type, SAEnum):
        return base(kind=Kind.ENUM, enum_values=tuple(str(value) for value in kind_type.enums))
    if isinstance(kind_type, BigInteger):
        return base(kind=Kind.INT8)
    if isinstance(kind_type, Integer):
        return base(kind=Kind.INT4)
    if isinstance(kind_type, Boolean):
        return base(kind=Kind.BOOL)
    if isinstance(kind_type, Float):
        return base(kind=Kind.FLOAT)
    if isinstance(kind_type, Numeric):
        return base(kind=Kind.NUMERIC, precision=kind_type.precision, scale=kind_type.scale)
    if isinstance(kind_type, String):
        return base(kind=Kind.TEXT, length=kind_type.length)
    if isinstance(kind_type, DateTime):
        return base(kind=Kind.DATETIME)
    if isinstance(kind_type, Date):
        return base(kind=Kind.DATE)
    if isinstance(kind_type, JSON):
        return base(kind=Kind.JSON)
    raise TypeError(f"{column.table.name}.{column.name}: the migration tool has no rule for {kind_type!r}")


def table_plan(table: Table) -> TablePlan:
    # Plain str, not SQLAlchemy's quoted_name: plans are pickled for the render worker.
    uniques = [
        tuple(str(c.name) for c in con.columns)
        for con in table.constraints
        if isinstance(con, UniqueConstraint)
    ]
    uniques += [tuple(str(c.name) for c in ix.columns) for ix in table.indexes if ix.unique]
    return TablePlan(
        name=str(table.name),
        columns=tuple(column_plan(c) for c in table.columns),
        primary_key=tuple(str(c.name) for c in table.primary_key.columns),
        uniques=tuple(sorted(set(uniques))),
        foreign_keys=tuple(
            ForeignKeyPlan(
                columns=tuple(str(c.name) for c in fk.columns),
                parent=str(fk.referred_table.name),
                parent_columns=tuple(str(e.column.name) for e in fk.elements),
            )
            for fk in sorted(table.foreign_key_constraints, key=lambda fk: str(fk.name))
        ),
    )


def build_plan(selected: Sequence[str] | None = None) -> Plan:
    """All model tables in FK dependency order, or the selected ones; unknown names are warned about."""
    every = [table_plan(t) for t in Base.metadata.sorted_tables]
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
