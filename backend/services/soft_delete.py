"""What students and courses share: hiding deleted rows, soft delete, restore, and the explicit purge."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, bindparam, delete, func, select
from sqlalchemy.orm import Session

from backend.models import Attendance, DailyPerformance, Grade
from backend.services import audit, crud
from backend.services.audit import Actor
from backend.services.errors import RuleViolation
from backend.services.records import KINDS, SoftT, existing_row, live_row

# (count key, model) pairs of the rows that point at a purged parent, deleted before it.
Children = tuple[tuple[str, Any], ...]
# What is recorded about a student in a course: purged with either of them.
COURSE_RECORDS: Children = (
    ("attendance", Attendance),
    ("grades", Grade),
    ("daily_performance", DailyPerformance),
)


class Purge(Protocol):
    """A resource's purge: erase a soft-deleted row and what refers to it; return the counts."""

    def __call__(self, *, session: Session, actor: Actor, row_id: int) -> dict[str, int]: ...


class PurgePreview(Protocol):
    """A resource's purge, counted only: what it would erase (the row included); nothing changes."""

    def __call__(self, *, session: Session, row_id: int) -> dict[str, int]: ...


def select_rows(
    *, model: type[SoftT], include_deleted: bool, is_active: bool | None, only_deleted: bool = False
) -> Select[SoftT]:
    """Select the rows a list shows: live ones unless include_deleted, only deleted ones (the
    trash) when only_deleted, active or not when asked."""
    return select(model).where(
        *shown(model, include_deleted=include_deleted, is_active=is_active, only_deleted=only_deleted)
    )


def shown(
    source: Any, *, include_deleted: bool, is_active: bool | None, only_deleted: bool = False
) -> list[ColumnElement[bool]]:
    """select_rows' conditions on ``source.deleted_at`` and ``source.is_active``: a model's
    attributes or a table's columns."""
    conditions: list[ColumnElement[bool]] = []
    if only_deleted:
        conditions.append(source.deleted_at.is_not(None))
    elif not include_deleted:
        conditions.append(source.deleted_at.is_(None))
    if is_active is not None:
        conditions.append(source.is_active.is_(is_active))
    return conditions


def row_columns(model: type[SoftT]) -> list[ColumnElement[Any]]:
    """The model's table columns, each labelled with its attribute's name (what a read shows)."""
    return [prop.columns[0].label(prop.key) for prop in model.__mapper__.column_attrs]


def get_row(*, session: Session, model: type[SoftT], row_id: int, include_deleted: bool) -> SoftT:
    """Return a row; a soft-deleted one only when include_deleted."""
    if include_deleted:
        return crud.get_row(session=session, model=model, row_id=row_id, label=KINDS[model].label)
    return live_row(session=session, model=model, row_id=row_id)


def read_row(
    *, session: Session, model: type[SoftT], row_id: int, include_deleted: bool
) -> Mapping[str, Any] | SoftT:
    """The row's columns by attribute name, refused as get_row refuses it.

    A read that only shows the row needs no ORM object, and its one statement is built once: a
    missing or hidden row goes through get_row, which raises its own error (or, if the row
    changed in between, returns it).
    """
    result = session.connection().execute(_read_statement(model), {"row_id": row_id})
    keys = tuple(result.keys())
    row = result.first()
    if row is not None and (include_deleted or row.deleted_at is None):
        return dict(zip(keys, row, strict=True))
    return get_row(session=session, model=model, row_id=row_id, include_deleted=include_deleted)


@functools.cache
def _read_statement(model: type[SoftT]) -> Select[Any]:
    return select(*row_columns(model)).where(model.__table__.c.id == bindparam("row_id"))


def soft_delete(*, session: Session, actor: Actor, model: type[SoftT], row_id: int) -> None:
    """Hide a live row and keep every row that refers to it; audit its last values."""
    row = live_row(session=session, model=model, row_id=row_id)
    row.deleted_at = datetime.now(UTC)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="delete",
        entity_type=KINDS[model].entity_type,
        entity_id=row.id,
        details={"soft": True, "before": audit.snapshot(row)},
    )


def restore(*, session: Session, actor: Actor, model: type[SoftT], row_id: int) -> SoftT:
    """Bring back a soft-deleted row."""
    kind = KINDS[model]
    row = crud.get_row(session=session, model=model, row_id=row_id, label=kind.label)
    if row.deleted_at is None:
        raise RuleViolation(
            f"{kind.label} {row_id} is not deleted: there is nothing to restore",
            code=f"{kind.entity_type}_not_deleted",
            params={"id": row_id},
        )
    row.deleted_at = None
    session.flush()
    audit.record(
        session=session, actor=actor, action="restore", entity_type=kind.entity_type, entity_id=row.id
    )
    return row


def deleted_row(*, session: Session, model: type[SoftT], row_id: int) -> SoftT:
    """The soft-deleted row to purge; a live one must be deleted first."""
    row = existing_row(session=session, model=model, row_id=row_id)
    if row.deleted_at is None:
        kind = KINDS[model]
        raise RuleViolation(
            f"{kind.label} {row_id} is not deleted: delete it first, then purge it",
            code=f"{kind.entity_type}_not_deleted",
            params={"id": row_id},
        )
    return row


def count_children(*, session: Session, children: Children, parent: str, parent_id: int) -> dict[str, int]:
    """Count the rows whose ``parent`` column points at the row, per kind."""
    return {
        name: session.scalar(
            select(func.count()).select_from(model).where(getattr(model, parent) == parent_id)
        )
        or 0
        for name, model in children
    }


def delete_children(*, session: Session, children: Children, parent: str, parent_id: int) -> dict[str, int]:
    """Delete the rows whose ``parent`` column points at the purged row; count each kind."""
    counts = count_children(session=session, children=children, parent=parent, parent_id=parent_id)
    for _, model in children:
        session.execute(delete(model).where(getattr(model, parent) == parent_id))
    return counts


def preview(
    *, session: Session, model: type[SoftT], row_id: int, children: Children, parent: str
) -> dict[str, int]:
    """What purging this deleted row would erase, counted as the purge report counts it."""
    deleted_row(session=session, model=model, row_id=row_id)
    counts = count_children(session=session, children=children, parent=parent, parent_id=row_id)
    counts[KINDS[model].collection] = 1
    return counts


def erase(*, session: Session, actor: Actor, row: SoftT, counts: dict[str, int]) -> dict[str, int]:
    """Delete the row itself and audit its last values with everything erased alongside it."""
    kind = KINDS[type(row)]
    row_id = row.id
    before = audit.snapshot(row)
    session.delete(row)
    session.flush()
    counts[kind.collection] = 1
    audit.record(
        session=session,
        actor=actor,
        action="purge",
        entity_type=kind.entity_type,
        entity_id=row_id,
        details={"before": before, "deleted": counts},
    )
    return counts
