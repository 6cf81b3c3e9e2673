"""Courses: listing, audited writes with their evaluation rules, the explicit purge, enrolled students."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session, selectinload

from backend.models import (
    Course,
    CourseEnrollment,
    CourseTeacher,
    EnrollmentStatus,
    Student,
    Term,
)
from backend.schemas.courses import CourseCreate, CourseUpdate
from backend.services import crud, soft_delete, terms
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import FieldInvalid, NotFound, RuleViolation
from backend.services.records import live_course
from backend.services.soft_delete import COURSE_RECORDS, Children
from backend.services.students import page_of_students

SEARCH = (Course.course_code, Course.course_name, Course.teacher_name)
SORTS = {
    "id": Course.id,
    "course_code": Course.course_code,
    "course_name": Course.course_name,
    "semester": Course.semester,
    "year": Course.year,
    "credits": Course.credits,
    "created_at": Course.created_at,
    "deleted_at": Course.deleted_at,
}
CHILDREN: Children = (*COURSE_RECORDS, ("course_enrollments", CourseEnrollment))


def list_courses(
    *,
    session: Session,
    query: ListQuery,
    is_active: bool | None = None,
    semester: str | None = None,
    year: int | None = None,
    term_id: int | None = None,
    academic_year_id: int | None = None,
    teacher_id: int | None = None,
    include_deleted: bool = False,
    only_deleted: bool = False,
) -> PageResult:
    """List courses, hiding soft-deleted ones unless asked (or only those, for the trash); filter
    by term, year and teacher."""
    stmt = soft_delete.select_rows(
        model=Course, include_deleted=include_deleted, is_active=is_active, only_deleted=only_deleted
    )
    stmt = crud.where_equal(stmt, (Course.semester, semester), (Course.year, year), (Course.term_id, term_id))
    if academic_year_id is not None:
        stmt = stmt.where(
            Course.term_id.in_(select(Term.id).where(Term.academic_year_id == academic_year_id))
        )
    if teacher_id is not None:
        taught = exists().where(CourseTeacher.course_id == Course.id, CourseTeacher.user_id == teacher_id)
        stmt = stmt.where(taught)
    # One query each for the page's teachers and terms, not one per course.
    stmt = stmt.options(selectinload(Course.teachers), selectinload(Course.term))
    return crud.list_rows(
        session=session,
        stmt=stmt,
        query=query,
        search=SEARCH,
        sort_columns=SORTS,
        default_sort="course_code",
        tiebreak=Course.id,
    )


def get_course(*, session: Session, course_id: int, include_deleted: bool = False) -> Course:
    """Return a course; a soft-deleted one only when include_deleted."""
    return soft_delete.get_row(
        session=session, model=Course, row_id=course_id, include_deleted=include_deleted
    )


def _check(
    session: Session, course_id: int | None, passing: Decimal, maximum: Decimal, prerequisite: int | None
) -> None:
    """Rules that span fields or rows: passing grade within the scale, a sane prerequisite chain."""
    passing, maximum = Decimal(passing), Decimal(maximum)
    if passing > maximum:
        raise FieldInvalid(
            f"passing_grade {passing} is above max_grade {maximum}: lower it or raise max_grade",
            field="passing_grade",
            code="passing_above_max",
            params={"passing_grade": float(passing), "max_grade": float(maximum)},
        )
    if prerequisite is None:
        return
    seen = {course_id}
    current: int | None = prerequisite
    while current is not None:
        if current in seen:
            raise RuleViolation(
                "This prerequisite would make the course require itself: pick another course",
                field="prerequisite_course_id",
                code="prerequisite_cycle",
            )
        seen.add(current)
        row = session.get(Course, current)
        if row is None:
            raise NotFound(
                f"Course {current} does not exist: check the id",
                field="prerequisite_course_id",
                code="course_not_found",
                params={"id": current},
            )
        current = row.prerequisite_course_id


def _term_values(session: Session, term_id: int) -> dict[str, object]:
    """The free-text columns a course in this term carries: its name and its year's first year."""
    term = terms.get_term(session=session, term_id=term_id, field="term_id")
    return {"term_id": term.id, "semester": term.name, "year": term.academic_year.starts_on.year}


def create_course(*, session: Session, actor: Actor, data: CourseCreate) -> Course:
    """Add a course, in a term (or, as before terms, with a free-text semester and year)."""
    _check(session, None, data.passing_grade, data.max_grade, data.prerequisite_course_id)
    values = data.model_dump()
    if data.term_id is not None:
        values.update(_term_values(session, data.term_id))
    else:
        for field in ("semester", "year"):
            if values[field] is None:
                raise FieldInvalid(
                    f"Send term_id (or, for a course without a term, {field})",
                    field="term_id",
                    code="term_required",
                )
    row = Course(**values)
    return crud.create_row(session=session, actor=actor, row=row, entity_type="course")


def update_course(*, session: Session, actor: Actor, course_id: int, changes: CourseUpdate) -> Course:
    """Change the given fields of a live course."""
    course = live_course(session=session, course_id=course_id)
    # An update field that was not sent is None; only the prerequisite may also be sent as null.
    prerequisite = course.prerequisite_course_id
    if "prerequisite_course_id" in changes.model_fields_set:
        prerequisite = changes.prerequisite_course_id
    _check(
        session,
        course.id,
        course.passing_grade if changes.passing_grade is None else changes.passing_grade,
        course.max_grade if changes.max_grade is None else changes.max_grade,
        prerequisite,
    )
    values = crud.sent(changes)
    term_id = values.get("term_id") or course.term_id
    if term_id is not None:
        # A course in a term takes its semester and year from the term, whatever else was sent.
        values.update(_term_values(session, term_id))
    return crud.update_row(session=session, actor=actor, row=course, values=values, entity_type="course")


def purge_course(*, session: Session, actor: Actor, row_id: int) -> dict[str, int]:
    """Erase a soft-deleted course and, explicitly, everything recorded in it; audit the counts."""
    course = soft_delete.deleted_row(session=session, model=Course, row_id=row_id)
    counts = soft_delete.delete_children(
        session=session, children=CHILDREN, parent="course_id", parent_id=row_id
    )
    unlinked = session.execute(
        update(Course).where(Course.prerequisite_course_id == row_id).values(prerequisite_course_id=None)
    )
    counts["prerequisite_links_cleared"] = unlinked.rowcount  # type: ignore[attr-defined]
    return soft_delete.erase(session=session, actor=actor, row=course, counts=counts)


def purge_preview_course(*, session: Session, row_id: int) -> dict[str, int]:
    """Count what purging this deleted course would erase or unlink; change nothing."""
    counts = soft_delete.preview(
        session=session, model=Course, row_id=row_id, children=CHILDREN, parent="course_id"
    )
    requiring = select(func.count()).select_from(Course).where(Course.prerequisite_course_id == row_id)
    counts["prerequisite_links_cleared"] = session.scalar(requiring) or 0
    return counts


def course_students(
    *, session: Session, course_id: int, query: ListQuery, status: EnrollmentStatus | None
) -> PageResult:
    """Live students enrolled in a course (active enrollments unless a status is given)."""
    live_course(session=session, course_id=course_id)
    stmt = (
        select(Student)
        .join(CourseEnrollment, CourseEnrollment.student_id == Student.id)
        .where(
            CourseEnrollment.course_id == course_id,
            CourseEnrollment.status == (status or EnrollmentStatus.ACTIVE),
            Student.deleted_at.is_(None),
        )
    )
    return page_of_students(session=session, stmt=stmt, query=query)
