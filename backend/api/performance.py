"""/api/v1/daily-performance: daily scores per student and course (teachers and admins write)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from backend.api.actors import StaffActor
from backend.api.deps import CourseScopeDep, CurrentUser
from backend.api.filters import RecordFilterQuery
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.models import DailyPerformance
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page
from backend.schemas.performance import PerformanceCreate, PerformanceRead, PerformanceUpdate
from backend.services import performance as service

router = APIRouter(
    route_class=SMSRoute,
    prefix="/api/v1/daily-performance",
    tags=["daily-performance"],
    responses=ERROR_RESPONSES,
)
PerformancePk = Annotated[int, Path(ge=1, le=MAX_INT)]


@router.get("", summary="List daily performance scores")
def list_performance(
    _: CurrentUser, session: SessionDep, query: ListQueryDep, filters: RecordFilterQuery
) -> Page[PerformanceRead]:
    """List daily scores, newest first; filter by student, course, category and dates."""
    result = service.list_performance(session=session, query=query, filters=filters.record_filter())
    return page_of(result, PerformanceRead)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record a daily performance score")
def create_performance(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, body: PerformanceCreate
) -> PerformanceRead:
    """Record one daily score of an enrolled student."""
    scope.course(body.course_id)
    row = service.create_performance(session=session, actor=actor, data=body)
    return PerformanceRead.model_validate(row)


@router.get("/{performance_id}", summary="Get a daily performance score")
def get_performance(_: CurrentUser, session: SessionDep, performance_id: PerformancePk) -> PerformanceRead:
    """Return one daily score."""
    return PerformanceRead.model_validate(
        service.get_performance(session=session, performance_id=performance_id)
    )


@router.patch("/{performance_id}", summary="Update a daily performance score")
def update_performance(
    actor: StaffActor,
    session: SessionDep,
    scope: CourseScopeDep,
    performance_id: PerformancePk,
    body: PerformanceUpdate,
) -> PerformanceRead:
    """Change the fields sent; leave the others as they are."""
    scope.row(DailyPerformance, performance_id)
    row = service.update_performance(
        session=session, actor=actor, performance_id=performance_id, changes=body
    )
    return PerformanceRead.model_validate(row)


@router.delete(
    "/{performance_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a daily performance score"
)
def delete_performance(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, performance_id: PerformancePk
) -> Response:
    """Remove a daily score."""
    scope.row(DailyPerformance, performance_id)
    service.delete_performance(session=session, actor=actor, performance_id=performance_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
