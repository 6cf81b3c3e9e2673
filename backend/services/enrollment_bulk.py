"""Many students into one course at once, each enrolled, already there, or refused with a reason.

Two posts for the same course (two admins, a double click) are serialised by locking the
course row first (``bulk.locked_course``: a row lock on PostgreSQL, the write lock on
SQLite), as a single enrolment does too; so the second post sees the first one's rows and
reports those students as already enrolled instead of failing on the unique constraint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import CourseEnrollment, EnrollmentStatus, Student
from backend.services import audit, bulk
from backend.services.audit import Actor
from backend.services.enrollments import prerequisite_problems, reenroll


@dataclass
class BulkEnrollReport:
    enrolled_ids: list[int] = field(default_factory=list)
    reenrolled_ids: list[int] = field(default_factory=list)
    already_enrolled_ids: list[int] = field(default_factory=list)
    refusals: list[dict[str, Any]] = field(default_factory=list)

    def refuse(self, student_id: int, code: str, **params: Any) -> None:
        self.refusals.append({"student_id": student_id, "code": code, "params": params})

    def counts(self) -> dict[str, int]:
        return {
            "enrolled": len(self.enrolled_ids),
            "reenrolled": len(self.reenrolled_ids),
            "already_enrolled": len(self.already_enrolled_ids),
            "refused": len(self.refusals),
        }


def bulk_enroll(
    *, session: Session, actor: Actor, course_id: int, student_ids: list[int]
) -> BulkEnrollReport:
    """Enroll each listed student (a repeated id counts once); one audit row for the whole post."""
    course = bulk.locked_course(session=session, course_id=course_id)
    wanted = list(dict.fromkeys(student_ids))
    students = {s.id: s for s in session.scalars(select(Student).where(Student.id.in_(wanted)))}
    existing = {
        row.student_id: row
        for row in session.scalars(
            select(CourseEnrollment).where(
                CourseEnrollment.course_id == course.id, CourseEnrollment.student_id.in_(wanted)
            )
        )
    }
    report = BulkEnrollReport()
    candidates: list[Student] = []
    for student_id in wanted:
        student = students.get(student_id)
        row = existing.get(student_id)
        if student is None or student.deleted_at is not None:
            report.refuse(student_id, "student_not_found")
        elif not student.is_active:
            report.refuse(student_id, "student_inactive", student=student.student_id)
        elif row is not None and row.status != EnrollmentStatus.DROPPED:
            report.already_enrolled_ids.append(student_id)
        else:
            candidates.append(student)
    blocked = prerequisite_problems(session=session, course=course, students=candidates)
    for student in candidates:
        if student.id in blocked:
            report.refuse(student.id, "prerequisite_not_passed", **blocked[student.id])
            continue
        row = existing.get(student.id)
        if row is not None:
            reenroll(session=session, actor=actor, row=row)
            report.reenrolled_ids.append(student.id)
        else:
            session.add(CourseEnrollment(student_id=student.id, course_id=course.id))
        report.enrolled_ids.append(student.id)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="bulk_enroll",
        entity_type="enrollment",
        entity_id=f"course:{course.id}",
        details={
            "enrolled": report.enrolled_ids,
            "reenrolled": report.reenrolled_ids,
            "already_enrolled": report.already_enrolled_ids,
            "refused": [refusal["student_id"] for refusal in report.refusals],
        },
    )
    return report
