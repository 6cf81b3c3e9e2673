"""/api/v1/audit-log: who wrote what, when (admin only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from backend.api.deps import AdminUser
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.schemas.audit import AuditRead
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page, Text
from backend.services.audit_log import list_audit

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/audit-log", tags=["audit-log"], responses=ERROR_RESPONSES
)


@router.get("", summary="List audit log entries (admin)")
def list_audit_log(
    _: AdminUser,
    session: SessionDep,
    query: ListQueryDep,
    entity_type: Annotated[Text | None, Query(max_length=50, description="e.g. student, grade")] = None,
    entity_id: Annotated[Text | None, Query(max_length=64)] = None,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    action: Annotated[Text | None, Query(max_length=20, description="create, update, delete, ...")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Page[AuditRead]:
    """List audit entries, newest first, filtered by entity, user, action and day."""
    result = list_audit(
        session=session,
        query=query,
        entity_type=entity_type,
        entity_id=entity_id,
        user_id=user_id,
        action=action,
        date_from=date_from,
        date_to=date_to,
    )
    return page_of(result, AuditRead)
