"""A student's whole record (profile, enrollments, grades, attendance) as JSON or CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Attendance, Course, CourseEnrollment, Grade, Student
from backend.services import crud
from backend.services.audit import jsonable, snapshot

CSV_COLUMNS = ("section", "course_code", "date", "item", "category", "value", "max_value", "status", "notes")


def student_record(*, session: Session, student_id: int) -> dict[str, Any]:
    """Collect everything recorded about one student (a soft-deleted one too), JSON-ready."""
    student = crud.get_row(session=session, model=Student, row_id=student_id, label="Student")
    enrollments = [
        {**snapshot(enrollment), "course_code": code, "course_name": name}
        for enrollment, code, name in session.execute(
            select(CourseEnrollment, Course.course_code, Course.course_name)
            .join(Course, Course.id == CourseEnrollment.course_id)
            .where(CourseEnrollment.student_id == student_id)
            .order_by(Course.course_code)
        )
    ]
    grades = session.scalars(select(Grade).where(Grade.student_id == student_id).order_by(Grade.id))
    attendance = session.scalars(
        select(Attendance).where(Attendance.student_id == student_id).order_by(Attendance.date, Attendance.id)
    )
    return {
        "exported_at": jsonable(datetime.now(UTC)),
        "student": snapshot(student),
        "enrollments": enrollments,
        "grades": [snapshot(grade) for grade in grades],
        "attendance": [snapshot(mark) for mark in attendance],
    }


def to_csv(record: dict[str, Any]) -> str:
    """One CSV table: a row per profile field, enrollment, grade and attendance mark."""
    codes = {e["course_id"]: e["course_code"] for e in record["enrollments"]}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)

    def write(*cells: Any) -> None:
        writer.writerow([_cell(cell) for cell in cells])

    for name, value in record["student"].items():
        write("profile", "", "", name, "", value, "", "", "")
    for e in record["enrollments"]:
        write("enrollment", e["course_code"], e["enrolled_at"], e["course_name"], "", "", "", e["status"], "")
    for g in record["grades"]:
        write(
            "grade",
            codes.get(g["course_id"], g["course_id"]),
            g["date_assigned"],
            g["assignment_name"],
            g["category"],
            g["grade"],
            g["max_grade"],
            "",
            g["notes"],
        )
    for a in record["attendance"]:
        write(
            "attendance",
            codes.get(a["course_id"], a["course_id"]),
            a["date"],
            f"period {a['period_number']}",
            "",
            "",
            "",
            a["status"],
            a["notes"],
        )
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return _defuse(value) if isinstance(value, str) else value


_FORMULA_STARTS = ("=", "+", "-", "@")
# Spreadsheets skip these before deciding whether a cell is a formula, and a leading tab or
# carriage return can itself start one (OWASP "CSV injection").
_CONTROL_STARTS = ("\t", "\r")


def _defuse(text: str) -> str:
    """Make a cell that a spreadsheet would run as a formula plain text (a leading ')."""
    if text.startswith(_CONTROL_STARTS) or text.lstrip()[:1] in _FORMULA_STARTS:
        return "'" + text
    return text
