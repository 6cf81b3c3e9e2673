"""/api/v1/courses: courses with their evaluation rules, soft delete, purge and enrolled students."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from backend.api.actors import AdminActor
from backend.api.deps import CurrentUser
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.api.soft_delete import SoftDeletable, add_soft_delete_routes
from backend.api.students import admin_only_deleted
from backend.db.session import SessionDep
from backend.models import Course, EnrollmentStatus
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page, Text
from backend.schemas.courses import CourseCreate, CourseRead, CourseUpdate
from backend.schemas.students import StudentRead
from backend.schemas.terms import CourseTeachersSet
from backend.services import course_teachers
from backend.services import courses as service

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/courses", tags=["courses"], responses=ERROR_RESPONSES
)
CoursePk = Annotated[int, Path(ge=1, le=MAX_INT, description="The course's database id")]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_INT)]


@router.get("", summary="List courses")
def list_courses(
    user: CurrentUser,
    session: SessionDep,
    query: ListQueryDep,
    is_active: bool | None = None,
    semester: Annotated[Text | None, Query(max_length=50)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    term_id: OptionalId = None,
    academic_year_id: OptionalId = None,
    teacher_id: Annotated[int | None, Query(ge=1, le=MAX_INT, description="A teacher's user id")] = None,
    include_deleted: bool = False,
    only_deleted: Annotated[
        bool, Query(description="Only soft-deleted courses (the trash); admins only")
    ] = False,
) -> Page[CourseRead]:
    """List courses; search by code, name or teacher; sort; filter by term, year and teacher."""
    admin_only_deleted(include_deleted or only_deleted, user.role)
    result = service.list_courses(
        session=session,
        query=query,
        is_active=is_active,
        semester=semester,
        year=year,
        term_id=term_id,
        academic_year_id=academic_year_id,
        teacher_id=teacher_id,
        include_deleted=include_deleted,
        only_deleted=only_deleted,
    )
    return page_of(result, CourseRead)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a course")
def create_course(actor: AdminActor, session: SessionDep, body: CourseCreate) -> CourseRead:
    """Add a course with its scale, absence penalty and evaluation rules."""
    course = service.create_course(session=session, actor=actor, data=body)
    return CourseRead.model_validate(course)


@router.get("/{course_id}", summary="Get a course")
def get_course(
    user: CurrentUser, session: SessionDep, course_id: CoursePk, include_deleted: bool = False
) -> CourseRead:
    """Return one course."""
    admin_only_deleted(include_deleted, user.role)
    course = service.get_course(session=session, course_id=course_id, include_deleted=include_deleted)
    return CourseRead.model_validate(course)


@router.patch("/{course_id}", summary="Update a course")
def update_course(
    actor: AdminActor, session: SessionDep, course_id: CoursePk, body: CourseUpdate
) -> CourseRead:
    """Change the fields sent; leave the others as they are."""
    course = service.update_course(session=session, actor=actor, course_id=course_id, changes=body)
    return CourseRead.model_validate(course)


@router.put("/{course_id}/teachers", summary="Set a course's teachers")
def set_course_teachers(
    actor: AdminActor, session: SessionDep, course_id: CoursePk, body: CourseTeachersSet
) -> CourseRead:
    """Make exactly the listed users (active teachers or admins) the course's teachers."""
    course = course_teachers.set_teachers(
        session=session, actor=actor, course_id=course_id, user_ids=body.user_ids
    )
    return CourseRead.model_validate(course)


add_soft_delete_routes(
    router,
    SoftDeletable(
        model=Course,
        read=CourseRead,
        purge=service.purge_course,
        preview=service.purge_preview_course,
        delete_description="Hide the course and keep everything recorded in it; an admin can restore it.",
        purge_summary="Erase a deleted course and everything recorded in it",
        purge_description=(
            "Permanently remove a soft-deleted course with its enrollments, grades and attendance."
        ),
    ),
)


@router.get("/{course_id}/students", summary="List the students enrolled in a course")
def course_students(
    _: CurrentUser,
    session: SessionDep,
    course_id: CoursePk,
    query: ListQueryDep,
    status: EnrollmentStatus | None = None,
) -> Page[StudentRead]:
    """Live students with an active enrollment (or the given status) in the course."""
    result = service.course_students(session=session, course_id=course_id, query=query, status=status)
    return page_of(result, StudentRead)
