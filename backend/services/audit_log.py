"""Reading the audit trail (writing it is backend.services.audit)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import AuditLog
from backend.services import crud
from backend.services.crud import ListQuery, PageResult

SORTS = {
    "id": AuditLog.id,
    "created_at": AuditLog.created_at,
    "action": AuditLog.action,
    "entity_type": AuditLog.entity_type,
    "user_email": AuditLog.user_email,
}


def list_audit(
    *,
    session: Session,
    query: ListQuery,
    entity_type: str | None = None,
    entity_id: str | None = None,
    user_id: int | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> PageResult:
    """List audit rows, newest first, filtered by entity, user, action or day (UTC)."""
    stmt = crud.where_equal(
        select(AuditLog),
        (AuditLog.entity_type, entity_type),
        (AuditLog.entity_id, entity_id),
        (AuditLog.user_id, user_id),
        (AuditLog.action, action),
    )
    if date_from is not None:
        stmt = stmt.where(AuditLog.created_at >= datetime.combine(date_from, time.min, UTC))
    # The last representable day has no next day to stop before: nothing is later than it.
    if date_to is not None and date_to < date.max:
        stmt = stmt.where(AuditLog.created_at < datetime.combine(date_to + timedelta(days=1), time.min, UTC))
    return crud.list_rows(
        session=session,
        stmt=stmt,
        query=query,
        search=(AuditLog.user_email, AuditLog.entity_type, AuditLog.action),
        sort_columns=SORTS,
        default_sort="created_at",
        default_order="desc",
        tiebreak=AuditLog.id,
    )
