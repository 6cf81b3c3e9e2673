"""Enrolment from the course's side: add many students, drop one with a reason, the class list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path

from backend.api.actors import StaffActor
from backend.api.deps import CourseScopeDep, CurrentUser
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.models import CourseEnrollment, EnrollmentStatus
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page
from backend.schemas.courses import EnrollmentRead
from backend.schemas.enrollments import (
    ClassListEntry,
    EnrollmentBulk,
    EnrollmentBulkResult,
    EnrollmentDrop,
    EnrollmentEvent,
    EnrollmentRefusal,
)
from backend.services import enrollment_bulk, enrollment_standing
from backend.services import enrollment_history as history
from backend.services import enrollments as service
from backend.services.records import live_course

router = APIRouter(route_class=SMSRoute, prefix="/api/v1", tags=["enrollments"], responses=ERROR_RESPONSES)
CoursePk = Annotated[int, Path(ge=1, le=MAX_INT)]
EnrollmentPk = Annotated[int, Path(ge=1, le=MAX_INT)]


@router.post("/courses/{course_id}/enrollments/bulk", summary="Enroll many students in a course")
def bulk_enroll(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, course_id: CoursePk, body: EnrollmentBulk
) -> EnrollmentBulkResult:
    """Enroll each student; say who was enrolled, who already was, and who was refused and why."""
    scope.course(course_id)
    report = enrollment_bulk.bulk_enroll(
        session=session, actor=actor, course_id=course_id, student_ids=body.student_ids
    )
    return EnrollmentBulkResult(
        **report.counts(),
        enrolled_ids=report.enrolled_ids,
        already_enrolled_ids=report.already_enrolled_ids,
        refusals=[EnrollmentRefusal.model_validate(refusal) for refusal in report.refusals],
    )


@router.get("/courses/{course_id}/class-list", summary="List a course's students with their standing")
def class_list(
    _: CurrentUser,
    session: SessionDep,
    query: ListQueryDep,
    course_id: CoursePk,
    status: EnrollmentStatus | None = None,
) -> Page[ClassListEntry]:
    """Each student's final grade so far, completeness and attendance rate; sortable by any of them."""
    course = live_course(session=session, course_id=course_id)
    result = enrollment_standing.class_list(session=session, course=course, query=query, status=status)
    return page_of(result, ClassListEntry)


@router.post("/enrollments/{enrollment_id}/drop", summary="Drop a student from a course")
def drop_enrollment(
    actor: StaffActor,
    session: SessionDep,
    scope: CourseScopeDep,
    enrollment_id: EnrollmentPk,
    body: EnrollmentDrop,
) -> EnrollmentRead:
    """Mark the student as having left the course on a date, for a reason; the record stays."""
    scope.row(CourseEnrollment, enrollment_id)
    row = service.drop_enrollment(
        session=session, actor=actor, enrollment_id=enrollment_id, data=body, today=date.today()
    )
    return EnrollmentRead.model_validate(row)


@router.get("/enrollments/{enrollment_id}/history", summary="List an enrollment's history")
def enrollment_history(
    _: CurrentUser, session: SessionDep, enrollment_id: EnrollmentPk
) -> list[EnrollmentEvent]:
    """When the student was enrolled, dropped (with date and reason) and enrolled again, oldest first."""
    events = history.enrollment_history(session=session, enrollment_id=enrollment_id)
    return [EnrollmentEvent.model_validate(event) for event in events]
