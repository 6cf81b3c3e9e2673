"""The dashboard's figures: live counts, today's attendance and students at risk."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from backend.models import Attendance, AttendanceStatus, Course, CourseEnrollment, EnrollmentStatus, Student
from backend.services.attendance import DEFAULT_AT_RISK_THRESHOLD, attendance_rate

AT_RISK_LIMIT = 50


def _count(session: Session, stmt: Any) -> int:
    return session.scalar(stmt) or 0


def summary(*, session: Session, today: date, threshold: float = DEFAULT_AT_RISK_THRESHOLD) -> dict[str, Any]:
    """Counts of live records, today's marks, and the student-course pairs below the threshold."""
    students = _count(session, select(func.count()).select_from(Student).where(Student.deleted_at.is_(None)))
    courses = _count(session, select(func.count()).select_from(Course).where(Course.deleted_at.is_(None)))
    enrollments = _count(
        session,
        select(func.count())
        .select_from(CourseEnrollment)
        .join(Student, Student.id == CourseEnrollment.student_id)
        .join(Course, Course.id == CourseEnrollment.course_id)
        .where(
            CourseEnrollment.status == EnrollmentStatus.ACTIVE,
            Student.deleted_at.is_(None),
            Course.deleted_at.is_(None),
        ),
    )
    today_counts = {status.value: 0 for status in AttendanceStatus}
    for status, count in session.execute(
        select(Attendance.status, func.count()).where(Attendance.date == today).group_by(Attendance.status)
    ):
        today_counts[AttendanceStatus(status).value] = count
    return {
        "students": students,
        "courses": courses,
        "enrollments": enrollments,
        "attendance_today": today_counts,
        "at_risk_students": at_risk(session=session, threshold=threshold),
    }


def _tally(status: AttendanceStatus) -> Any:
    return func.sum(case((Attendance.status == status, 1), else_=0))


def at_risk(*, session: Session, threshold: float) -> list[dict[str, Any]]:
    """Live student-course pairs whose attendance rate is below the threshold, worst first."""
    pair = (
        Student.id,
        Student.student_id,
        Student.first_name,
        Student.last_name,
        Course.id,
        Course.course_code,
    )
    stmt = (
        select(
            *pair,
            _tally(AttendanceStatus.PRESENT),
            _tally(AttendanceStatus.ABSENT),
            _tally(AttendanceStatus.LATE),
        )
        .join(Student, Student.id == Attendance.student_id)
        .join(Course, Course.id == Attendance.course_id)
        .where(Student.deleted_at.is_(None), Course.deleted_at.is_(None))
        .group_by(*pair)
    )
    found = []
    for sid, number, first, last, cid, code, present, absent, late in session.execute(stmt):
        rate = attendance_rate(int(present or 0), int(absent or 0), int(late or 0))
        if rate is not None and rate < threshold:
            found.append(
                {
                    "student_id": sid,
                    "student_number": number,
                    "name": f"{first} {last}",
                    "course_id": cid,
                    "course_code": code,
                    "attendance_rate": rate,
                }
            )
    found.sort(key=lambda item: (item["attendance_rate"], item["student_id"], item["course_id"]))
    return found[:AT_RISK_LIMIT]
