"""The audit trail: one AuditLog row per write, with before/after values for updates."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from backend.models import AuditLog

# Never copied into an audit row, whatever the entity.
# The stamp is no secret without SECRET_KEY, but no reader of the trail needs it either.
SECRET_COLUMNS = {"hashed_password", "security_stamp"}


@dataclass(frozen=True)
class Actor:
    """Who is writing: the logged-in user and the address the request came from."""

    user_id: int | None
    email: str | None
    ip_address: str | None = None


def jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def snapshot(row: object) -> dict[str, Any]:
    """The row's column values, JSON-ready, without secrets."""
    mapper = inspect(type(row))
    return {
        attr.key: jsonable(getattr(row, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in SECRET_COLUMNS
    }


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only what differs: ``{"before": {...}, "after": {...}}``."""
    keys = [k for k in after if before.get(k) != after[k] and k != "updated_at"]
    return {"before": {k: before.get(k) for k in keys}, "after": {k: after[k] for k in keys}}


# Built once: every write adds a row, and a statement built (or a unit of work run) per call
# cost more CPU than the insert itself.
_INSERT = insert(AuditLog)


def record(
    *,
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add the audit row to the writer's transaction, so it commits or rolls back with the write."""
    session.connection().execute(
        _INSERT,
        {
            "user_id": actor.user_id,
            "user_email": actor.email,
            "action": action,
            "entity_type": entity_type,
            "entity_id": None if entity_id is None else str(entity_id),
            "details": jsonable(details) if details is not None else None,
            "ip_address": actor.ip_address,
        },
    )
