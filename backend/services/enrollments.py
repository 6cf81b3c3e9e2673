"""Enrollments: a student in a course, refused when a prerequisite is not passed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Course, CourseEnrollment, EnrollmentStatus
from backend.schemas.courses import EnrollmentCreate, EnrollmentUpdate
from backend.services import crud
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import RuleViolation
from backend.services.grading import final_grade
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


def check_prerequisite(*, session: Session, student_id: int, course: Course) -> None:
    """Refuse when the course has a prerequisite the student has not passed."""
    if course.prerequisite_course_id is None:
        return
    prerequisite = session.get(Course, course.prerequisite_course_id)
    student = live_student(session=session, student_id=student_id, field="student_id")
    if prerequisite is None:
        return
    result = final_grade(session=session, student=student, course=prerequisite)
    if result.passed is not True:
        shown = "none yet" if result.final_grade is None else f"{result.final_grade:g}"
        raise RuleViolation(
            f"Student {student.student_id} has not passed the prerequisite {prerequisite.course_code} "
            f"of {course.course_code} (final grade {shown} of {result.max_grade:g}, "
            f"{result.passing_grade:g} needed, {result.status}): enroll them once they pass it",
            field="course_id",
            code="prerequisite_not_passed",
            params={
                "student": student.student_id,
                "prerequisite": prerequisite.course_code,
                "course": course.course_code,
                "final_grade": result.final_grade,
                "max_grade": result.max_grade,
                "passing_grade": result.passing_grade,
                "status": result.status,
            },
        )


def create_enrollment(*, session: Session, actor: Actor, data: EnrollmentCreate) -> CourseEnrollment:
    """Enroll a student in a course."""
    live_student(session=session, student_id=data.student_id, field="student_id")
    course = live_course(session=session, course_id=data.course_id, field="course_id")
    if data.status == EnrollmentStatus.ACTIVE:
        check_prerequisite(session=session, student_id=data.student_id, course=course)
    row = CourseEnrollment(**data.model_dump())
    return crud.create_row(session=session, actor=actor, row=row, entity_type="enrollment")


def update_enrollment(
    *, session: Session, actor: Actor, enrollment_id: int, changes: EnrollmentUpdate
) -> CourseEnrollment:
    """Change an enrollment's status (re-activating checks the prerequisite again)."""
    row = get_enrollment(session=session, enrollment_id=enrollment_id)
    if changes.status == EnrollmentStatus.ACTIVE and row.status != EnrollmentStatus.ACTIVE:
        course = live_course(session=session, course_id=row.course_id, field="course_id")
        check_prerequisite(session=session, student_id=row.student_id, course=course)
    return crud.update_row(
        session=session, actor=actor, row=row, values=crud.sent(changes), entity_type="enrollment"
    )


def delete_enrollment(*, session: Session, actor: Actor, enrollment_id: int) -> None:
    """Remove an enrollment; the student's grades and attendance in the course stay."""
    row = get_enrollment(session=session, enrollment_id=enrollment_id)
    crud.delete_row(session=session, actor=actor, row=row, entity_type="enrollment")
