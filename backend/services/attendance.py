"""Attendance: single records, one course-day upserted at once, and the per-student summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.models import Attendance, AttendanceStatus
from backend.services import audit, crud
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import FieldInvalid, RuleViolation
from backend.services.records import enrolled_ids, live_course, live_student, require_enrolled

SORTS = {
    "id": Attendance.id,
    "date": Attendance.date,
    "status": Attendance.status,
    "period_number": Attendance.period_number,
    "student_id": Attendance.student_id,
    "created_at": Attendance.created_at,
}
DEFAULT_AT_RISK_THRESHOLD = 75.0
COURSE_DAY = ("student_id", "course_id", "date", "period_number")


def list_attendance(
    *,
    session: Session,
    query: ListQuery,
    student_id: int | None = None,
    course_id: int | None = None,
    status: AttendanceStatus | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> PageResult:
    """List attendance records, filtered by student, course, status or date range."""
    stmt = select(Attendance)
    if student_id is not None:
        stmt = stmt.where(Attendance.student_id == student_id)
    if course_id is not None:
        stmt = stmt.where(Attendance.course_id == course_id)
    if status is not None:
        stmt = stmt.where(Attendance.status == status)
    if date_from is not None:
        stmt = stmt.where(Attendance.date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Attendance.date <= date_to)
    return crud.list_rows(
        session=session,
        stmt=stmt,
        query=query,
        search=(Attendance.notes,),
        sort_columns=SORTS,
        default_sort="date",
        default_order="desc",
        tiebreak=Attendance.id,
    )


def get_attendance(*, session: Session, attendance_id: int) -> Attendance:
    """Return one attendance record."""
    return crud.get_row(session=session, model=Attendance, row_id=attendance_id, label="Attendance record")


def create_attendance(*, session: Session, actor: Actor, data: dict[str, Any]) -> Attendance:
    """Record one attendance mark for an enrolled student."""
    student = live_student(session=session, student_id=data["student_id"], field="student_id")
    course = live_course(session=session, course_id=data["course_id"], field="course_id")
    require_enrolled(session=session, student=student, course=course)
    return crud.create_row(session=session, actor=actor, row=Attendance(**data), entity_type="attendance")


def update_attendance(
    *, session: Session, actor: Actor, attendance_id: int, data: dict[str, Any]
) -> Attendance:
    """Change the given fields of an attendance record."""
    row = get_attendance(session=session, attendance_id=attendance_id)
    return crud.update_row(session=session, actor=actor, row=row, values=data, entity_type="attendance")


def delete_attendance(*, session: Session, actor: Actor, attendance_id: int) -> None:
    """Remove an attendance record."""
    row = get_attendance(session=session, attendance_id=attendance_id)
    crud.delete_row(session=session, actor=actor, row=row, entity_type="attendance")


def bulk_attendance(
    *,
    session: Session,
    actor: Actor,
    course_id: int,
    day: date,
    period_number: int,
    records: list[dict[str, Any]],
) -> tuple[int, int, list[Attendance]]:
    """Create or replace every listed mark of one course-day in one statement; one audit row."""
    course = live_course(session=session, course_id=course_id, field="course_id")
    student_ids = [record["student_id"] for record in records]
    if len(set(student_ids)) != len(student_ids):
        raise FieldInvalid("a student appears twice: list each student once", field="records")
    enrolled = enrolled_ids(session=session, course_id=course_id, student_ids=student_ids)
    for index, student_id in enumerate(student_ids):
        if student_id not in enrolled:
            raise RuleViolation(
                f"Student {student_id} is not enrolled in {course.course_code}: enroll them first",
                field=f"records.{index}.student_id",
            )
    key = (
        Attendance.course_id == course_id,
        Attendance.date == day,
        Attendance.period_number == period_number,
    )
    before = {
        row.student_id: row.status.value
        for row in session.scalars(select(Attendance).where(*key, Attendance.student_id.in_(student_ids)))
    }
    now = datetime.now(UTC)
    values = [
        {
            "student_id": record["student_id"],
            "course_id": course_id,
            "date": day,
            "period_number": period_number,
            "status": record["status"],
            "notes": record.get("notes"),
            "created_at": now,
            "updated_at": now,
        }
        # Rows are locked in student order, so two posts of one day cannot deadlock on PostgreSQL.
        for record in sorted(records, key=lambda r: r["student_id"])
    ]
    # One INSERT .. ON CONFLICT DO UPDATE: two teachers posting the same day cannot collide.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(Attendance).values(values)
    upsert = insert.on_conflict_do_update(
        index_elements=list(COURSE_DAY),
        set_={"status": insert.excluded.status, "notes": insert.excluded.notes, "updated_at": now},
    )
    session.execute(upsert)
    session.expire_all()
    rows = list(
        session.scalars(
            select(Attendance)
            .where(*key, Attendance.student_id.in_(student_ids))
            .order_by(Attendance.student_id)
        )
    )
    audit.record(
        session=session,
        actor=actor,
        action="bulk_upsert",
        entity_type="attendance",
        entity_id=f"course:{course_id}:{day.isoformat()}:{period_number}",
        details={
            "course_id": course_id,
            "date": day,
            "period_number": period_number,
            "created": [r["student_id"] for r in records if r["student_id"] not in before],
            "updated": [
                {"student_id": r["student_id"], "before": before[r["student_id"]], "after": r["status"]}
                for r in records
                if r["student_id"] in before
            ],
        },
    )
    return len(records) - len(before), len(before), rows


@dataclass(frozen=True)
class AttendanceSummary:
    student_id: int
    course_id: int | None
    present: int
    absent: int
    late: int
    excused: int
    total: int
    attendance_rate: float | None
    threshold: float
    at_risk: bool


def attendance_rate(present: int, absent: int, late: int) -> float | None:
    """Attended share of the lessons that count; excused absences do not count either way."""
    counted = present + absent + late
    return None if counted == 0 else round((present + late) * 100 / counted, 2)


def summarize(
    *, session: Session, student_id: int, course_id: int | None, threshold: float = DEFAULT_AT_RISK_THRESHOLD
) -> AttendanceSummary:
    """Count a student's marks (in one course or all) and flag a rate below the threshold."""
    live_student(session=session, student_id=student_id, field="student_id")
    stmt = select(Attendance.status, func.count()).where(Attendance.student_id == student_id)
    if course_id is not None:
        live_course(session=session, course_id=course_id, field="course_id")
        stmt = stmt.where(Attendance.course_id == course_id)
    counts = {status: 0 for status in AttendanceStatus}
    for status, count in session.execute(stmt.group_by(Attendance.status)):
        counts[AttendanceStatus(status)] = count
    present, absent = counts[AttendanceStatus.PRESENT], counts[AttendanceStatus.ABSENT]
    late, excused = counts[AttendanceStatus.LATE], counts[AttendanceStatus.EXCUSED]
    rate = attendance_rate(present, absent, late)
    return AttendanceSummary(
        student_id=student_id,
        course_id=course_id,
        present=present,
        absent=absent,
        late=late,
        excused=excused,
        total=sum(counts.values()),
        attendance_rate=rate,
        threshold=threshold,
        at_risk=rate is not None and rate < threshold,
    )
