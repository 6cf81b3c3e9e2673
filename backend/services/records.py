"""Look-ups shared by the services: live students and courses, enrollment checks, record filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from backend.models import Course, CourseEnrollment, DailyPerformance, Grade, Student
from backend.services.crud import where_equal, where_within
from backend.services.errors import NotFound, RuleViolation

SoftT = TypeVar("SoftT", Student, Course)
RecordT = TypeVar("RecordT", Grade, DailyPerformance)


@dataclass(frozen=True)
class Kind:
    """How messages, routes and the audit trail name a soft-deletable model."""

    label: str
    collection: str

    @property
    def entity_type(self) -> str:
        return self.label.lower()


KINDS: dict[type[Student | Course], Kind] = {
    Student: Kind(label="Student", collection="students"),
    Course: Kind(label="Course", collection="courses"),
}


# Every write looks its course or student up: the statements are built once, since building one
# costs more CPU than running it.
@cache
def _by_id(model: type[SoftT], lock: bool) -> Select[SoftT]:
    stmt = select(model).where(model.id == bindparam("row_id"))
    # Bulk posts for one course queue behind each other on PostgreSQL (SQLite's writer lock
    # already serialises them), so two grade pages never insert the same assignment twice.
    return stmt.with_for_update() if lock else stmt


_ENROLLED = select(CourseEnrollment.student_id).where(
    CourseEnrollment.course_id == bindparam("course_id"),
    CourseEnrollment.student_id.in_(bindparam("student_ids", expanding=True)),
)


def existing_row(
    *, session: Session, model: type[SoftT], row_id: int, field: str | None = None, lock: bool = False
) -> SoftT:
    """The row with this id, deleted or not, refusing a missing one (404, naming ``field``)."""
    row = session.scalar(_by_id(model, lock), {"row_id": row_id})
    if row is None:
        kind = KINDS[model]
        raise NotFound(
            f"{kind.label} {row_id} does not exist: check the id",
            field=field,
            code=f"{kind.entity_type}_not_found",
            params={"id": row_id},
        )
    return row


def live_row(
    *, session: Session, model: type[SoftT], row_id: int, field: str | None = None, lock: bool = False
) -> SoftT:
    """The row with this id, refusing a missing or soft-deleted one (404, naming ``field``)."""
    row = existing_row(session=session, model=model, row_id=row_id, field=field, lock=lock)
    if row.deleted_at is not None:
        kind = KINDS[model]
        raise NotFound(
            f"{kind.label} {row_id} was deleted: an admin can restore it from the trash",
            field=field,
            code=f"{kind.entity_type}_deleted",
            params={"id": row_id},
        )
    return row


def live_student(*, session: Session, student_id: int, field: str | None = None) -> Student:
    """The student with this id, refusing a missing or soft-deleted one (404, naming ``field``)."""
    return live_row(session=session, model=Student, row_id=student_id, field=field)


def live_course(*, session: Session, course_id: int, field: str | None = None, lock: bool = False) -> Course:
    """The course with this id, refusing a missing or soft-deleted one (404, naming ``field``)."""
    return live_row(session=session, model=Course, row_id=course_id, field=field, lock=lock)


def enrolled_ids(*, session: Session, course_id: int, student_ids: list[int]) -> set[int]:
    return set(session.scalars(_ENROLLED, {"course_id": course_id, "student_ids": student_ids}))


def require_enrolled(
    *, session: Session, student: Student, course: Course, field: str = "student_id"
) -> None:
    """Refuse records for a student who is not enrolled in the course."""
    if not enrolled_ids(session=session, course_id=course.id, student_ids=[student.id]):
        raise RuleViolation(
            f"Student {student.student_id} is not enrolled in {course.course_code}: enroll them first",
            field=field,
            code="student_not_enrolled",
            params={"student": student.student_id, "course": course.course_code},
        )


@dataclass(frozen=True)
class RecordFilter:
    """Which of a student's records in a course a list shows; None leaves that field open."""

    student_id: int | None = None
    course_id: int | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def filtered(
    *, model: type[RecordT], dated: InstrumentedAttribute[Any], filters: RecordFilter
) -> Select[RecordT]:
    """Select the model's rows that match the filter, ``dated`` within date_from..date_to."""
    stmt = where_equal(
        select(model),
        (model.student_id, filters.student_id),
        (model.course_id, filters.course_id),
        (model.category, filters.category),
    )
    return where_within(stmt, dated, filters.date_from, filters.date_to)
