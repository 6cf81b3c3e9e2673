"""/api/v1/year-end: move students up a study year at the end of an academic year (admins)."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api.actors import AdminActor
from backend.api.deps import AdminUser
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.schemas.common import ERROR_RESPONSES
from backend.schemas.terms import YearEndPreview, YearEndRequest
from backend.services import year_end as service

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/year-end", tags=["year-end"], responses=ERROR_RESPONSES
)


@router.post("/preview", summary="Preview the year-end")
def preview_year_end(_: AdminUser, session: SessionDep, body: YearEndRequest) -> YearEndPreview:
    """Count who would move up a study year and who would graduate; change nothing."""
    return service.preview(session=session, academic_year_id=body.academic_year_id, top_year=body.top_year)


@router.post("/apply", summary="Apply the year-end")
def apply_year_end(actor: AdminActor, session: SessionDep, body: YearEndRequest) -> YearEndPreview:
    """Move every active student up a year and graduate the top year; once per academic year (else 409)."""
    return service.apply(
        session=session, actor=actor, academic_year_id=body.academic_year_id, top_year=body.top_year
    )
