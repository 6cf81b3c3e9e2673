"""Who teaches a course, and the one check every write to a course's records goes through."""

from __future__ import annotations

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, selectinload

from backend.models import (
    Course,
    CourseEnrollment,
    CourseTeacher,
    EnrollmentStatus,
    Student,
    Term,
    User,
    UserRole,
)
from backend.services import audit
from backend.services.audit import Actor
from backend.services.errors import FieldInvalid, Forbidden
from backend.services.records import live_course

TEACHING_ROLES = (UserRole.TEACHER, UserRole.ADMIN)
# The free-text column older readers and exports still show.
TEACHER_NAME_LENGTH = 200


def teaches(*, session: Session, user_id: int, course_id: int) -> bool:
    """Whether the user is one of the course's teachers."""
    stmt = select(exists().where(CourseTeacher.course_id == course_id, CourseTeacher.user_id == user_id))
    return bool(session.scalar(stmt))


def require_course_access(*, session: Session, user: User, course_id: int) -> None:
    """Refuse a teacher's write to a course they do not teach (403 not_your_course); admins pass.

    A course that does not exist is let through, so the write itself answers 404 for it.
    """
    if user.role is UserRole.ADMIN or session.get(Course, course_id) is None:
        return
    if not teaches(session=session, user_id=user.id, course_id=course_id):
        raise Forbidden(
            f"You do not teach course {course_id}: only its teachers and admins may change its records",
            code="not_your_course",
            params={"course_id": course_id},
        )


def require_student_access(*, session: Session, user: User, student_id: int) -> None:
    """Refuse a teacher's write about a student in none of their courses (403 not_your_student).

    A student who does not exist is let through, so the write itself answers 404 for them.
    """
    if user.role is UserRole.ADMIN or session.get(Student, student_id) is None:
        return
    taught = (
        select(CourseEnrollment.id)
        .join(CourseTeacher, CourseTeacher.course_id == CourseEnrollment.course_id)
        .where(
            CourseEnrollment.student_id == student_id,
            CourseEnrollment.status != EnrollmentStatus.DROPPED,
            CourseTeacher.user_id == user.id,
        )
    )
    if not session.scalar(select(exists(taught))):
        raise Forbidden(
            f"Student {student_id} is in none of your courses: only their teachers and admins may write this",
            code="not_your_student",
            params={"student_id": student_id},
        )


def set_teachers(*, session: Session, actor: Actor, course_id: int, user_ids: list[int]) -> Course:
    """Make exactly these users the course's teachers (active teachers or admins); audit the change."""
    course = live_course(session=session, course_id=course_id, lock=True)
    wanted = list(dict.fromkeys(user_ids))
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}
    for index, user_id in enumerate(wanted):
        user = users.get(user_id)
        if user is None or not user.is_active or user.role not in TEACHING_ROLES:
            raise FieldInvalid(
                f"User {user_id} is not an active teacher or admin: pick another user",
                field=f"user_ids.{index}",
                code="not_a_teacher",
                params={"user_id": user_id},
            )
    before = sorted(
        session.scalars(select(CourseTeacher.user_id).where(CourseTeacher.course_id == course.id))
    )
    session.execute(delete(CourseTeacher).where(CourseTeacher.course_id == course.id))
    session.add_all(CourseTeacher(course_id=course.id, user_id=user_id) for user_id in wanted)
    names = ", ".join(sorted(users[user_id].full_name or users[user_id].email for user_id in wanted))
    course.teacher_name = names[:TEACHER_NAME_LENGTH] or None
    session.flush()
    session.expire(course, ["teachers"])
    if before != sorted(wanted):
        audit.record(
            session=session,
            actor=actor,
            action="set_teachers",
            entity_type="course",
            entity_id=course.id,
            details={"before": {"user_ids": before}, "after": {"user_ids": sorted(wanted)}},
        )
    return course


def my_classes(*, session: Session, user: User) -> tuple[Term | None, list[tuple[Course, int]]]:
    """The current term and its live courses with active student counts: a teacher's own, else all."""
    term = session.scalar(select(Term).where(Term.is_current))
    if term is None:
        return None, []
    counts = (
        select(CourseEnrollment.course_id, func.count().label("students"))
        .join(Student, Student.id == CourseEnrollment.student_id)
        .where(CourseEnrollment.status == EnrollmentStatus.ACTIVE, Student.deleted_at.is_(None))
        .group_by(CourseEnrollment.course_id)
        .subquery()
    )
    stmt = (
        select(Course, func.coalesce(counts.c.students, 0))
        .outerjoin(counts, counts.c.course_id == Course.id)
        .where(Course.term_id == term.id, Course.deleted_at.is_(None))
        .options(selectinload(Course.teachers))
        .order_by(Course.course_code, Course.id)
    )
    if user.role is UserRole.TEACHER:
        stmt = stmt.join(CourseTeacher, CourseTeacher.course_id == Course.id).where(
            CourseTeacher.user_id == user.id
        )
    return term, [(course, int(students)) for course, students in session.execute(stmt)]
