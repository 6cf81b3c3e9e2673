"""/api/v1/dashboard: the figures on the home page."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from backend.api.deps import CurrentUser
from backend.db.session import SessionDep
from backend.schemas.common import ERROR_RESPONSES
from backend.schemas.dashboard import DashboardSummary
from backend.services import dashboard as service

router = APIRouter(prefix="/api/v1/dashboard", tags=["dashboard"], responses=ERROR_RESPONSES)


@router.get("/summary", summary="Summarize the school at a glance")
def summary(
    _: CurrentUser,
    session: SessionDep,
    threshold: Annotated[float, Query(ge=0, le=100, description="At-risk below this attendance rate")] = 75.0,
) -> DashboardSummary:
    """Live counts, today's attendance and the students at risk."""
    return DashboardSummary.model_validate(
        service.summary(session=session, today=date.today(), threshold=threshold)
    )
