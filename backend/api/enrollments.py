"""/api/v1/enrollments: students in courses (teachers and admins write)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from backend.api.actors import StaffActor
from backend.api.deps import CourseScopeDep, CurrentUser
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.models import CourseEnrollment, EnrollmentStatus
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page
from backend.schemas.courses import EnrollmentCreate, EnrollmentRead, EnrollmentUpdate
from backend.services import enrollments as service

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/enrollments", tags=["enrollments"], responses=ERROR_RESPONSES
)
EnrollmentPk = Annotated[int, Path(ge=1, le=MAX_INT)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_INT)]


@router.get("", summary="List enrollments")
def list_enrollments(
    _: CurrentUser,
    session: SessionDep,
    query: ListQueryDep,
    student_id: OptionalId = None,
    course_id: OptionalId = None,
    status: EnrollmentStatus | None = None,
) -> Page[EnrollmentRead]:
    """List enrollments, filtered by student, course or status."""
    result = service.list_enrollments(
        session=session, query=query, student_id=student_id, course_id=course_id, status=status
    )
    return page_of(result, EnrollmentRead)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Enroll a student in a course")
def create_enrollment(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, body: EnrollmentCreate
) -> EnrollmentRead:
    """Enroll a student; refused when the course's prerequisite is not passed."""
    scope.course(body.course_id)
    row = service.create_enrollment(session=session, actor=actor, data=body)
    return EnrollmentRead.model_validate(row)


@router.get("/{enrollment_id}", summary="Get an enrollment")
def get_enrollment(_: CurrentUser, session: SessionDep, enrollment_id: EnrollmentPk) -> EnrollmentRead:
    """Return one enrollment."""
    return EnrollmentRead.model_validate(service.get_enrollment(session=session, enrollment_id=enrollment_id))


@router.patch("/{enrollment_id}", summary="Change an enrollment's status")
def update_enrollment(
    actor: StaffActor,
    session: SessionDep,
    scope: CourseScopeDep,
    enrollment_id: EnrollmentPk,
    body: EnrollmentUpdate,
) -> EnrollmentRead:
    """Mark an enrollment active, completed or dropped."""
    scope.row(CourseEnrollment, enrollment_id)
    row = service.update_enrollment(session=session, actor=actor, enrollment_id=enrollment_id, changes=body)
    return EnrollmentRead.model_validate(row)


@router.delete("/{enrollment_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove an enrollment")
def delete_enrollment(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, enrollment_id: EnrollmentPk
) -> Response:
    """Remove an enrollment; grades and attendance already recorded stay."""
    scope.row(CourseEnrollment, enrollment_id)
    service.delete_enrollment(session=session, actor=actor, enrollment_id=enrollment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
