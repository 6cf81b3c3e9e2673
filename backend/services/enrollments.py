"""Enrollments: a student in a course, refused when a prerequisite is not passed.

A student who leaves a course is *dropped*, not deleted: the row stays with status dropped,
the date, the reason and who dropped them. Enrolling them again makes the same row active
and keeps that last drop on it (and every step in the audit trail); DELETE is for an
enrolment made by mistake.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Course, CourseEnrollment, EnrollmentStatus, Student
from backend.models.base import utcnow
from backend.schemas.courses import EnrollmentCreate, EnrollmentUpdate
from backend.schemas.enrollments import EnrollmentDrop
from backend.services import audit, crud
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import Conflict, FieldInvalid, RuleViolation
from backend.services.grading import final_grades
from backend.services.records import live_course, live_student

SORTS = {
    "id": CourseEnrollment.id,
    "enrolled_at": CourseEnrollment.enrolled_at,
    "status": CourseEnrollment.status,
    "student_id": CourseEnrollment.student_id,
    "course_id": CourseEnrollment.course_id,
}


def list_enrollments(
    *,
    session: Session,
    query: ListQuery,
    student_id: int | None = None,
    course_id: int | None = None,
    status: EnrollmentStatus | None = None,
) -> PageResult:
    """List enrollments, filtered by student, course or status."""
    stmt = crud.where_equal(
        select(CourseEnrollment),
        (CourseEnrollment.student_id, student_id),
        (CourseEnrollment.course_id, course_id),
        (CourseEnrollment.status, status),
    )
    return crud.list_rows(
        session=session,
        stmt=stmt,
        query=query,
        search=(),
        sort_columns=SORTS,
        default_sort="id",
        tiebreak=CourseEnrollment.id,
    )


def get_enrollment(*, session: Session, enrollment_id: int) -> CourseEnrollment:
    """Return one enrollment."""
    return crud.get_row(session=session, model=CourseEnrollment, row_id=enrollment_id, label="Enrollment")


def prerequisite_problems(
    *, session: Session, course: Course, students: list[Student]
) -> dict[int, dict[str, Any]]:
    """The listed students who have not passed the course's prerequisite, with the facts (by id)."""
    if course.prerequisite_course_id is None or not students:
        return {}
    prerequisite = session.get(Course, course.prerequisite_course_id)
    if prerequisite is None:
        return {}
    results = final_grades(session=session, course=prerequisite, student_ids=[s.id for s in students])
    return {
        student.id: {
            "student": student.student_id,
            "prerequisite": prerequisite.course_code,
            "course": course.course_code,
            "final_grade": results[student.id].final_grade,
            "max_grade": results[student.id].max_grade,
            "passing_grade": results[student.id].passing_grade,
            "status": results[student.id].status,
        }
        for student in students
        if results[student.id].passed is not True
    }


def check_prerequisite(*, session: Session, student: Student, course: Course) -> None:
    """Refuse when the course has a prerequisite the student has not passed."""
    problem = prerequisite_problems(session=session, course=course, students=[student]).get(student.id)
    if problem is not None:
        shown = "none yet" if problem["final_grade"] is None else f"{problem['final_grade']:g}"
        raise RuleViolation(
            f"Student {student.student_id} has not passed the prerequisite {problem['prerequisite']} "
            f"of {course.course_code} (final grade {shown} of {problem['max_grade']:g}, "
            f"{problem['passing_grade']:g} needed, {problem['status']}): enroll them once they pass it",
            field="course_id",
            code="prerequisite_not_passed",
            params=problem,
        )


def _existing(*, session: Session, student_id: int, course_id: int) -> CourseEnrollment | None:
    stmt = select(CourseEnrollment).where(
        CourseEnrollment.student_id == student_id, CourseEnrollment.course_id == course_id
    )
    return session.scalar(stmt)


def reenroll(*, session: Session, actor: Actor, row: CourseEnrollment) -> CourseEnrollment:
    """Make a dropped enrollment active again; its last drop (date, reason, by whom) stays on it."""
    row.status = EnrollmentStatus.ACTIVE
    row.enrolled_at = utcnow()
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="reenroll",
        entity_type="enrollment",
        entity_id=row.id,
        details={"dropped_on": row.dropped_on, "drop_reason": row.drop_reason},
    )
    return row


def create_enrollment(*, session: Session, actor: Actor, data: EnrollmentCreate) -> CourseEnrollment:
    """Enroll a student in a course; a student who dropped it is enrolled again (history kept)."""
    student = live_student(session=session, student_id=data.student_id, field="student_id")
    # Locked like a bulk enrolment of the course, so the two never race on one student.
    course = live_course(session=session, course_id=data.course_id, field="course_id", lock=True)
    if data.status == EnrollmentStatus.ACTIVE:
        check_prerequisite(session=session, student=student, course=course)
    existing = _existing(session=session, student_id=student.id, course_id=course.id)
    if (
        existing is not None
        and existing.status == EnrollmentStatus.DROPPED
        and data.status == EnrollmentStatus.ACTIVE
    ):
        return reenroll(session=session, actor=actor, row=existing)
    if existing is not None:
        raise Conflict(
            "This student is already enrolled in this course: change the existing enrollment instead",
            field="enrollment",
            code="already_enrolled",
            params={
                "student": student.student_id,
                "course": course.course_code,
                "status": existing.status.value,
            },
        )
    row = CourseEnrollment(**data.model_dump())
    if data.status == EnrollmentStatus.DROPPED:
        row.dropped_on, row.dropped_by_user_id = date.today(), actor.user_id
    return crud.create_row(session=session, actor=actor, row=row, entity_type="enrollment")


def update_enrollment(
    *, session: Session, actor: Actor, enrollment_id: int, changes: EnrollmentUpdate
) -> CourseEnrollment:
    """Change an enrollment's status (re-activating checks the prerequisite again)."""
    row = get_enrollment(session=session, enrollment_id=enrollment_id)
    values: dict[str, Any] = crud.sent(changes)
    if changes.status == EnrollmentStatus.ACTIVE and row.status != EnrollmentStatus.ACTIVE:
        course = live_course(session=session, course_id=row.course_id, field="course_id")
        student = live_student(session=session, student_id=row.student_id, field="student_id")
        check_prerequisite(session=session, student=student, course=course)
    if changes.status == EnrollmentStatus.DROPPED and row.status != EnrollmentStatus.DROPPED:
        # A drop by status alone is dated today; POST .../drop also records the reason.
        values.update(dropped_on=date.today(), dropped_by_user_id=actor.user_id)
    return crud.update_row(session=session, actor=actor, row=row, values=values, entity_type="enrollment")


def drop_enrollment(
    *, session: Session, actor: Actor, enrollment_id: int, data: EnrollmentDrop, today: date
) -> CourseEnrollment:
    """Mark the student as having left the course on a date, for a reason; the row stays."""
    stmt = select(CourseEnrollment).where(CourseEnrollment.id == enrollment_id).with_for_update()
    row = session.scalar(stmt) or get_enrollment(session=session, enrollment_id=enrollment_id)
    if row.status == EnrollmentStatus.DROPPED:
        raise Conflict(
            f"This enrollment was already dropped on {row.dropped_on}: enroll the student again first",
            field="enrollment",
            code="enrollment_already_dropped",
            params={"dropped_on": None if row.dropped_on is None else row.dropped_on.isoformat()},
        )
    dropped_on = data.dropped_on or today
    enrolled_on = row.enrolled_at.date()
    if dropped_on > today:
        raise FieldInvalid(
            f"{dropped_on} is in the future: a drop is dated today or earlier",
            field="dropped_on",
            code="drop_date_in_future",
            params={"date": dropped_on.isoformat(), "today": today.isoformat()},
        )
    if dropped_on < enrolled_on:
        raise FieldInvalid(
            f"{dropped_on} is before the enrolment on {enrolled_on}: date the drop on or after it",
            field="dropped_on",
            code="drop_date_before_enrollment",
            params={"date": dropped_on.isoformat(), "enrolled_on": enrolled_on.isoformat()},
        )
    values = {
        "status": EnrollmentStatus.DROPPED,
        "dropped_on": dropped_on,
        "drop_reason": data.reason,
        "dropped_by_user_id": actor.user_id,
    }
    return crud.update_row(session=session, actor=actor, row=row, values=values, entity_type="enrollment")


def delete_enrollment(*, session: Session, actor: Actor, enrollment_id: int) -> None:
    """Remove an enrollment made by mistake; a student who left is dropped instead (kept in history)."""
    row = get_enrollment(session=session, enrollment_id=enrollment_id)
    crud.delete_row(session=session, actor=actor, row=row, entity_type="enrollment")
