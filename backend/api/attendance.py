"""/api/v1/attendance: marks, the attendance page's course-day post, and the summary."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from backend.api.actors import StaffActor
from backend.api.deps import CourseScopeDep, CurrentUser
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.models import Attendance, AttendanceStatus
from backend.schemas.attendance import (
    AttendanceBulk,
    AttendanceBulkResult,
    AttendanceCreate,
    AttendanceRead,
    AttendanceSummary,
    AttendanceUpdate,
)
from backend.schemas.common import ERROR_RESPONSES, MAX_BIGINT, MAX_INT, Page
from backend.services import attendance as service

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/attendance", tags=["attendance"], responses=ERROR_RESPONSES
)
AttendancePk = Annotated[int, Path(ge=1, le=MAX_BIGINT)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_INT)]


@router.get("", summary="List attendance records")
def list_attendance(
    _: CurrentUser,
    session: SessionDep,
    query: ListQueryDep,
    student_id: OptionalId = None,
    course_id: OptionalId = None,
    status: AttendanceStatus | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Page[AttendanceRead]:
    """List attendance marks, newest first; filter by student, course, status and dates."""
    result = service.list_attendance(
        session=session,
        query=query,
        student_id=student_id,
        course_id=course_id,
        status=status,
        date_from=date_from,
        date_to=date_to,
    )
    return page_of(result, AttendanceRead)


@router.get("/summary", summary="Summarize a student's attendance")
def attendance_summary(
    _: CurrentUser,
    session: SessionDep,
    student_id: Annotated[int, Query(ge=1, le=MAX_INT)],
    course_id: OptionalId = None,
    threshold: Annotated[float, Query(ge=0, le=100, description="At-risk below this rate")] = 75.0,
) -> AttendanceSummary:
    """Count present, absent, late and excused marks and flag a low attendance rate."""
    return service.summarize(session=session, student_id=student_id, course_id=course_id, threshold=threshold)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record an attendance mark")
def create_attendance(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, body: AttendanceCreate
) -> AttendanceRead:
    """Record one mark of an enrolled student."""
    scope.course(body.course_id)
    row = service.create_attendance(session=session, actor=actor, data=body)
    return AttendanceRead.model_validate(row)


@router.post("/bulk", summary="Record a whole course-day of attendance")
def bulk_attendance(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, body: AttendanceBulk
) -> AttendanceBulkResult:
    """Create or replace the mark of every listed student for one course, date and period."""
    scope.course(body.course_id)
    created, updated, rows = service.bulk_attendance(session=session, actor=actor, data=body)
    return AttendanceBulkResult.model_validate({"created": created, "updated": updated, "items": rows})


@router.get("/{attendance_id}", summary="Get an attendance mark")
def get_attendance(_: CurrentUser, session: SessionDep, attendance_id: AttendancePk) -> AttendanceRead:
    """Return one attendance mark."""
    return AttendanceRead.model_validate(service.get_attendance(session=session, attendance_id=attendance_id))


@router.patch("/{attendance_id}", summary="Update an attendance mark")
def update_attendance(
    actor: StaffActor,
    session: SessionDep,
    scope: CourseScopeDep,
    attendance_id: AttendancePk,
    body: AttendanceUpdate,
) -> AttendanceRead:
    """Change the fields sent; leave the others as they are."""
    scope.row(Attendance, attendance_id)
    row = service.update_attendance(session=session, actor=actor, attendance_id=attendance_id, changes=body)
    return AttendanceRead.model_validate(row)


@router.delete(
    "/{attendance_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete an attendance mark"
)
def delete_attendance(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, attendance_id: AttendancePk
) -> Response:
    """Remove an attendance mark."""
    scope.row(Attendance, attendance_id)
    service.delete_attendance(session=session, actor=actor, attendance_id=attendance_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
