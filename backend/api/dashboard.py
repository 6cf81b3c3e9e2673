"""/api/v1/dashboard: the figures on the home page, per term, and their "see all" lists."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from backend.api.deps import CurrentUser
from backend.api.pagination import MAX_LIMIT, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page
from backend.schemas.dashboard import AtRiskStudent, DashboardSummary
from backend.services import dashboard as service
from backend.services.attendance import DEFAULT_AT_RISK_THRESHOLD

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/dashboard", tags=["dashboard"], responses=ERROR_RESPONSES
)
Threshold = Annotated[float, Query(ge=0, le=100, description="At risk below this attendance rate (percent)")]


def scope(
    _: CurrentUser,
    session: SessionDep,
    term_id: Annotated[int | None, Query(ge=1, le=MAX_INT, description="Default: the current term")] = None,
    all_terms: Annotated[bool, Query(description="Every course, whatever its term")] = False,
) -> service.Scope:
    return service.scope_for(session=session, term_id=term_id, all_terms=all_terms)


ScopeDep = Annotated[service.Scope, Depends(scope)]


@router.get("/summary", summary="Summarize the school at a glance")
def summary(
    session: SessionDep, scope: ScopeDep, threshold: Threshold = DEFAULT_AT_RISK_THRESHOLD
) -> DashboardSummary:
    """Exact counts of the term, today's attendance and the at-risk count with the worst few."""
    return DashboardSummary.model_validate(
        service.summary(session=session, today=date.today(), scope=scope, threshold=threshold)
    )


@router.get("/at-risk", summary="List every student at risk")
def at_risk(
    session: SessionDep,
    scope: ScopeDep,
    threshold: Threshold = DEFAULT_AT_RISK_THRESHOLD,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1-500)")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INT, description="Rows to skip")] = 0,
) -> Page[AtRiskStudent]:
    """Every at-risk student-course pair of the term, worst attendance first, paged."""
    result = service.at_risk(session=session, scope=scope, threshold=threshold, limit=limit, offset=offset)
    return page_of(result, AtRiskStudent)
