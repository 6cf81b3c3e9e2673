"""The class list: a course's students with their standing (final grade so far, attendance).

A class is at most a few hundred students, so the standing of all of them is computed in
three queries (enrollments with students, the course's grades, attendance tallies) and the
list is sorted and paged in Python: the final grade and the attendance rate are not columns
a database could sort by.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from backend.models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseEnrollment,
    EnrollmentStatus,
    Grade,
    Student,
)
from backend.services.attendance import attendance_rate
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import FieldInvalid
from backend.services.grading import compute

# Sort keys; a None (no grade, no lessons yet) comes after every value in either direction.
SORTS = (
    "last_name",
    "first_name",
    "student_number",
    "study_year",
    "status",
    "enrolled_at",
    "final_grade",
    "attendance_rate",
)


def _tallies(*, session: Session, course_id: int) -> dict[int, dict[AttendanceStatus, int]]:
    def tally(status: AttendanceStatus) -> Any:
        return func.sum(case((Attendance.status == status, 1), else_=0))

    stmt = (
        select(Attendance.student_id, *(tally(status) for status in AttendanceStatus))
        .where(Attendance.course_id == course_id)
        .group_by(Attendance.student_id)
    )
    return {
        row[0]: {status: int(count or 0) for status, count in zip(AttendanceStatus, row[1:], strict=True)}
        for row in session.execute(stmt)
    }


def _entry(
    course: Course,
    enrollment: CourseEnrollment,
    student: Student,
    grades: list[Grade],
    marks: dict[AttendanceStatus, int],
) -> dict[str, Any]:
    absent = marks.get(AttendanceStatus.ABSENT, 0)
    result = compute(course=course, student_id=student.id, grades=grades, absences=absent)
    return {
        "enrollment_id": enrollment.id,
        "student_id": student.id,
        "student_number": student.student_id,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "study_year": student.study_year,
        "status": enrollment.status,
        "enrolled_at": enrollment.enrolled_at,
        "dropped_on": enrollment.dropped_on,
        "drop_reason": enrollment.drop_reason,
        "final_grade": result.final_grade,
        "max_grade": result.max_grade,
        "complete": result.complete,
        "missing": result.missing,
        "passed": result.passed,
        "standing": result.status,
        "attendance_rate": attendance_rate(
            marks.get(AttendanceStatus.PRESENT, 0), absent, marks.get(AttendanceStatus.LATE, 0)
        ),
        "unexcused_absences": absent,
    }


def _sort_key(name: str) -> Any:
    def key(entry: dict[str, Any]) -> tuple[Any, ...]:
        value = entry[name]
        return (
            value.lower() if isinstance(value, str) else value,
            entry["last_name"].lower(),
            entry["student_id"],
        )

    return key


def class_list(
    *, session: Session, course: Course, query: ListQuery, status: EnrollmentStatus | None = None
) -> PageResult:
    """The course's students with their standing, searched by name or number, sorted and paged."""
    sort = query.sort or "last_name"
    if sort not in SORTS:
        raise FieldInvalid(
            f"cannot sort by {sort!r}: use one of {', '.join(SORTS)}",
            field="sort",
            location="query",
            code="sort_not_allowed",
            params={"sort": sort, "allowed": list(SORTS)},
        )
    stmt = (
        select(CourseEnrollment, Student)
        .join(Student, Student.id == CourseEnrollment.student_id)
        .where(CourseEnrollment.course_id == course.id, Student.deleted_at.is_(None))
    )
    if status is not None:
        stmt = stmt.where(CourseEnrollment.status == status)
    if query.q:
        stmt = stmt.where(
            or_(
                *(
                    column.icontains(query.q, autoescape=True)
                    for column in (Student.first_name, Student.last_name, Student.student_id)
                )
            )
        )
    rows = session.execute(stmt).all()
    grades: dict[int, list[Grade]] = defaultdict(list)
    for grade in session.scalars(select(Grade).where(Grade.course_id == course.id)):
        grades[grade.student_id].append(grade)
    marks = _tallies(session=session, course_id=course.id)
    entries = [
        _entry(course, enrollment, student, grades[student.id], marks.get(student.id, {}))
        for enrollment, student in rows
    ]
    present = [entry for entry in entries if entry[sort] is not None]
    absent = [entry for entry in entries if entry[sort] is None]
    present.sort(key=_sort_key(sort), reverse=query.order == "desc")
    absent.sort(key=_sort_key("last_name"))
    ordered = present + absent
    return PageResult(
        items=ordered[query.offset : query.offset + query.limit],
        total=len(ordered),
        limit=query.limit,
        offset=query.offset,
    )
