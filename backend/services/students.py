"""Students: listing, audited writes and the explicit purge (soft delete and restore: soft_delete.py)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, bindparam, exists, select
from sqlalchemy.orm import Session

from backend.models import CourseEnrollment, Highlight, Student
from backend.schemas.students import StudentCreate, StudentUpdate
from backend.services import crud, soft_delete
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.records import live_student
from backend.services.soft_delete import COURSE_RECORDS, Children

# The student list runs on Core columns (no ORM work per request, statements built once).
TABLE = Student.__table__.c
SEARCH = (TABLE.first_name, TABLE.last_name, TABLE.email, TABLE.student_id)
SORTS = {
    name: TABLE[name]
    for name in (
        "id",
        "student_id",
        "first_name",
        "last_name",
        "email",
        "enrollment_date",
        "study_year",
        "created_at",
        "deleted_at",
    )
}
# What a read of students selects: every column by attribute name, without loading ORM objects
# the response model would only copy.
COLUMNS = tuple(soft_delete.row_columns(Student))
# Children of a student, deleted before the student itself when an admin purges it.
CHILDREN: Children = (*COURSE_RECORDS, ("highlights", Highlight), ("course_enrollments", CourseEnrollment))


def list_students(
    *,
    session: Session,
    query: ListQuery,
    is_active: bool | None = None,
    study_year: int | None = None,
    course_id: int | None = None,
    include_deleted: bool = False,
    only_deleted: bool = False,
) -> PageResult:
    """List students, hiding soft-deleted ones unless asked (or only those, for the trash)."""
    stmt = _listed(include_deleted, only_deleted, is_active, study_year is not None, course_id is not None)
    params = {"study_year": study_year, "course_id": course_id}
    bound = {name: value for name, value in params.items() if value is not None}
    return page_of_students(session=session, stmt=stmt, query=query, params=bound)


@functools.cache
def _listed(
    include_deleted: bool, only_deleted: bool, is_active: bool | None, by_year: bool, by_course: bool
) -> Select[Any]:
    """The student list's filters for one combination of them, built once; values bind later."""
    shown = soft_delete.shown(
        TABLE, include_deleted=include_deleted, is_active=is_active, only_deleted=only_deleted
    )
    stmt = select(*COLUMNS).where(*shown)
    if by_year:
        stmt = stmt.where(TABLE.study_year == bindparam("study_year"))
    if by_course:
        enrollments = CourseEnrollment.__table__.c
        enrolled = exists().where(
            enrollments.student_id == TABLE.id, enrollments.course_id == bindparam("course_id")
        )
        stmt = stmt.where(enrolled)
    return stmt


def page_of_students(
    *, session: Session, stmt: Select[Any], query: ListQuery, params: Mapping[str, Any] | None = None
) -> PageResult:
    """One page of the students ``stmt`` selects (``params``: its bound values), searched and
    sorted as the student list is; its items are dicts of the student's columns, which
    StudentRead reads as it reads a Student."""
    return crud.list_rows(
        session=session,
        stmt=stmt,
        query=query,
        search=SEARCH,
        sort_columns=SORTS,
        default_sort="last_name",
        tiebreak=TABLE.id,
        columns=COLUMNS,
        params=params,
    )


def get_student(*, session: Session, student_id: int, include_deleted: bool = False) -> Student:
    """Return a student; a soft-deleted one only when include_deleted."""
    return soft_delete.get_row(
        session=session, model=Student, row_id=student_id, include_deleted=include_deleted
    )


def read_student(
    *, session: Session, student_id: int, include_deleted: bool = False
) -> Mapping[str, Any] | Student:
    """A student's columns for a response; refused as get_student refuses it."""
    return soft_delete.read_row(
        session=session, model=Student, row_id=student_id, include_deleted=include_deleted
    )


def create_student(*, session: Session, actor: Actor, data: StudentCreate) -> Student:
    """Add a student."""
    row = Student(**data.model_dump())
    return crud.create_row(session=session, actor=actor, row=row, entity_type="student")


def update_student(*, session: Session, actor: Actor, student_id: int, changes: StudentUpdate) -> Student:
    """Change the given fields of a live student."""
    student = live_student(session=session, student_id=student_id)
    values = crud.sent(changes)
    return crud.update_row(session=session, actor=actor, row=student, values=values, entity_type="student")


def purge_student(*, session: Session, actor: Actor, row_id: int) -> dict[str, int]:
    """Erase a soft-deleted student and, explicitly, every row that refers to it; audit the counts."""
    student = soft_delete.deleted_row(session=session, model=Student, row_id=row_id)
    counts = soft_delete.delete_children(
        session=session, children=CHILDREN, parent="student_id", parent_id=row_id
    )
    return soft_delete.erase(session=session, actor=actor, row=student, counts=counts)


def purge_preview_student(*, session: Session, row_id: int) -> dict[str, int]:
    """Count what purging this deleted student would erase; change nothing."""
    return soft_delete.preview(
        session=session, model=Student, row_id=row_id, children=CHILDREN, parent="student_id"
    )
