"""/api/v1/students: students, their soft delete and purge, final grades and export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response, status

from backend.api.actors import AdminActor
from backend.api.deps import CurrentUser
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.api.soft_delete import SoftDeletable, add_soft_delete_routes
from backend.db.session import SessionDep
from backend.models import Student, UserRole
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page
from backend.schemas.dashboard import StudentExport
from backend.schemas.grades import FinalGrade
from backend.schemas.students import StudentCreate, StudentRead, StudentUpdate
from backend.services import export, grading
from backend.services import students as service
from backend.services.errors import Forbidden
from backend.services.records import live_course

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/students", tags=["students"], responses=ERROR_RESPONSES
)
StudentPk = Annotated[int, Path(ge=1, le=MAX_INT, description="The student's database id")]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_INT)]


def admin_only_deleted(include_deleted: bool, role: UserRole) -> None:
    if include_deleted and role != UserRole.ADMIN:
        raise Forbidden(
            "Only an admin can see deleted records: leave include_deleted off",
            field="include_deleted",
            code="deleted_admin_only",
        )


@router.get("", summary="List students")
def list_students(
    user: CurrentUser,
    session: SessionDep,
    query: ListQueryDep,
    is_active: bool | None = None,
    study_year: Annotated[int | None, Query(ge=1, le=20)] = None,
    course_id: OptionalId = None,
    include_deleted: bool = False,
    only_deleted: Annotated[
        bool, Query(description="Only soft-deleted students (the trash); admins only")
    ] = False,
) -> Page[StudentRead]:
    """List students; search by name, email or student ID; sort and filter."""
    admin_only_deleted(include_deleted or only_deleted, user.role)
    result = service.list_students(
        session=session,
        query=query,
        is_active=is_active,
        study_year=study_year,
        course_id=course_id,
        include_deleted=include_deleted,
        only_deleted=only_deleted,
    )
    return page_of(result, StudentRead)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a student")
def create_student(actor: AdminActor, session: SessionDep, body: StudentCreate) -> StudentRead:
    """Add a student."""
    student = service.create_student(session=session, actor=actor, data=body)
    return StudentRead.model_validate(student)


@router.get("/{student_id}", summary="Get a student")
def get_student(
    user: CurrentUser, session: SessionDep, student_id: StudentPk, include_deleted: bool = False
) -> StudentRead:
    """Return one student."""
    admin_only_deleted(include_deleted, user.role)
    student = service.read_student(session=session, student_id=student_id, include_deleted=include_deleted)
    return StudentRead.model_validate(student)


@router.patch("/{student_id}", summary="Update a student")
def update_student(
    actor: AdminActor, session: SessionDep, student_id: StudentPk, body: StudentUpdate
) -> StudentRead:
    """Change the fields sent; leave the others as they are."""
    student = service.update_student(session=session, actor=actor, student_id=student_id, changes=body)
    return StudentRead.model_validate(student)


add_soft_delete_routes(
    router,
    SoftDeletable(
        model=Student,
        read=StudentRead,
        purge=service.purge_student,
        preview=service.purge_preview_student,
        delete_description=(
            "Hide the student and keep every record that refers to it; an admin can restore it."
        ),
        purge_summary="Erase a deleted student and everything recorded about it",
        purge_description=(
            "Permanently remove a soft-deleted student with its enrollments, grades and attendance."
        ),
    ),
)


@router.get("/{student_id}/courses/{course_id}/final-grade", summary="Compute a student's final grade")
def final_grade(
    _: CurrentUser,
    session: SessionDep,
    student_id: StudentPk,
    course_id: Annotated[int, Path(ge=1, le=MAX_INT)],
) -> FinalGrade:
    """Weighted components minus the absence penalty, on the course's scale."""
    student = service.get_student(session=session, student_id=student_id)
    course = live_course(session=session, course_id=course_id)
    result = grading.final_grade(session=session, student=student, course=course)
    return FinalGrade.model_validate(result, from_attributes=True)


@router.get(
    "/{student_id}/export",
    summary="Export a student's record as JSON or CSV",
    response_model=StudentExport,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def export_student(
    user: CurrentUser,
    session: SessionDep,
    student_id: StudentPk,
    format: Literal["json", "csv"] = "json",
) -> Any:
    """Profile, enrollments, grades and attendance in one download (a deleted student: admins only)."""
    # A deleted student is a 404 to whoever may not see deleted records, as everywhere else.
    service.get_student(session=session, student_id=student_id, include_deleted=user.role == UserRole.ADMIN)
    record = export.student_record(session=session, student_id=student_id)
    if format == "json":
        return record
    filename = f"student-{student_id}.csv"
    return Response(
        export.to_csv(record),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
