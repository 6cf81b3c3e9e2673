"""Look-ups shared by the services: live students and courses, and enrollment checks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Course, CourseEnrollment, Student
from backend.services.errors import NotFound, RuleViolation


def live_student(*, session: Session, student_id: int, field: str | None = None) -> Student:
    """The student with this id, refusing a missing or soft-deleted one (404, naming ``field``)."""
    student = session.get(Student, student_id)
    if student is None:
        raise NotFound(f"Student {student_id} does not exist: check the id", field=field)
    if student.deleted_at is not None:
        raise NotFound(
            f"Student {student_id} was deleted: an admin can restore it with "
            f"POST /api/v1/students/{student_id}/restore",
            field=field,
        )
    return student


def live_course(*, session: Session, course_id: int, field: str | None = None, lock: bool = False) -> Course:
    """The course with this id, refusing a missing or soft-deleted one (404, naming ``field``)."""
    stmt = select(Course).where(Course.id == course_id)
    # Bulk posts for one course queue behind each other on PostgreSQL (SQLite's writer lock
    # already serialises them), so two grade pages never insert the same assignment twice.
    course = session.scalar(stmt.with_for_update() if lock else stmt)
    if course is None:
        raise NotFound(f"Course {course_id} does not exist: check the id", field=field)
    if course.deleted_at is not None:
        raise NotFound(
            f"Course {course_id} was deleted: an admin can restore it with "
            f"POST /api/v1/courses/{course_id}/restore",
            field=field,
        )
    return course


def enrolled_ids(*, session: Session, course_id: int, student_ids: list[int]) -> set[int]:
    stmt = select(CourseEnrollment.student_id).where(
        CourseEnrollment.course_id == course_id, CourseEnrollment.student_id.in_(student_ids)
    )
    return set(session.scalars(stmt))


def require_enrolled(
    *, session: Session, student: Student, course: Course, field: str = "student_id"
) -> None:
    """Refuse records for a student who is not enrolled in the course."""
    if not enrolled_ids(session=session, course_id=course.id, student_ids=[student.id]):
        raise RuleViolation(
            f"Student {student.student_id} is not enrolled in {course.course_code}: "
            "enroll them first (POST /api/v1/enrollments)",
            field=field,
        )
