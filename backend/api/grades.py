"""/api/v1/grades: grades one by one and per assignment (teachers and admins write)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from backend.api.actors import StaffActor
from backend.api.deps import CourseScopeDep, CurrentUser
from backend.api.filters import RecordFilterQuery
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.models import Grade
from backend.schemas.common import ERROR_RESPONSES, MAX_BIGINT, Page
from backend.schemas.grades import GradeBulk, GradeBulkResult, GradeCreate, GradeRead, GradeUpdate
from backend.services import grades as service

router = APIRouter(route_class=SMSRoute, prefix="/api/v1/grades", tags=["grades"], responses=ERROR_RESPONSES)
GradePk = Annotated[int, Path(ge=1, le=MAX_BIGINT)]


@router.get("", summary="List grades")
def list_grades(
    _: CurrentUser, session: SessionDep, query: ListQueryDep, filters: RecordFilterQuery
) -> Page[GradeRead]:
    """List grades; search by assignment or category; filter by student, course and date."""
    result = service.list_grades(session=session, query=query, filters=filters.record_filter())
    return page_of(result, GradeRead)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record a grade")
def create_grade(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, body: GradeCreate
) -> GradeRead:
    """Record one grade of an enrolled student."""
    scope.course(body.course_id)
    row = service.create_grade(session=session, actor=actor, data=body)
    return GradeRead.model_validate(row)


@router.post("/bulk", summary="Record one assignment's grades for many students")
def bulk_grades(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, body: GradeBulk
) -> GradeBulkResult:
    """Create or update the assignment's grade of every listed student."""
    scope.course(body.course_id)
    created, updated, rows = service.bulk_grades(session=session, actor=actor, data=body)
    return GradeBulkResult.model_validate({"created": created, "updated": updated, "items": rows})


@router.get("/{grade_id}", summary="Get a grade")
def get_grade(_: CurrentUser, session: SessionDep, grade_id: GradePk) -> GradeRead:
    """Return one grade."""
    return GradeRead.model_validate(service.get_grade(session=session, grade_id=grade_id))


@router.patch("/{grade_id}", summary="Update a grade")
def update_grade(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, grade_id: GradePk, body: GradeUpdate
) -> GradeRead:
    """Change the fields sent; leave the others as they are."""
    scope.row(Grade, grade_id)
    row = service.update_grade(session=session, actor=actor, grade_id=grade_id, changes=body)
    return GradeRead.model_validate(row)


@router.delete("/{grade_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a grade")
def delete_grade(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, grade_id: GradePk
) -> Response:
    """Remove a grade."""
    scope.row(Grade, grade_id)
    service.delete_grade(session=session, actor=actor, grade_id=grade_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
