"""Attendance: single records, one course-day upserted at once, and the per-student summary."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Attendance, AttendanceStatus
from backend.schemas.attendance import AttendanceBulk, AttendanceCreate, AttendanceSummary, AttendanceUpdate
from backend.services import bulk, crud
from backend.services.attendance_rules import check_mark
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.records import live_course, live_student, require_enrolled

SORTS = {
    "id": Attendance.id,
    "date": Attendance.date,
    "status": Attendance.status,
    "period_number": Attendance.period_number,
    "student_id": Attendance.student_id,
    "created_at": Attendance.created_at,
}
DEFAULT_AT_RISK_THRESHOLD = 75.0


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
    stmt = crud.where_equal(
        select(Attendance),
        (Attendance.student_id, student_id),
        (Attendance.course_id, course_id),
        (Attendance.status, status),
    )
    return crud.list_rows(
        session=session,
        stmt=crud.where_within(stmt, Attendance.date, date_from, date_to),
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


def create_attendance(*, session: Session, actor: Actor, data: AttendanceCreate) -> Attendance:
    """Record one attendance mark for an enrolled student."""
    student = live_student(session=session, student_id=data.student_id, field="student_id")
    course = live_course(session=session, course_id=data.course_id, field="course_id")
    require_enrolled(session=session, student=student, course=course)
    check_mark(course=course, on=data.date, period=data.period_number)
    row = Attendance(**data.model_dump())
    return crud.create_row(session=session, actor=actor, row=row, entity_type="attendance")


def update_attendance(
    *, session: Session, actor: Actor, attendance_id: int, changes: AttendanceUpdate
) -> Attendance:
    """Change the given fields of an attendance record."""
    row = get_attendance(session=session, attendance_id=attendance_id)
    values = crud.sent(changes)
    if "date" in values or "period_number" in values:
        course = live_course(session=session, course_id=row.course_id, field="course_id")
        check_mark(
            course=course,
            on=values.get("date") or row.date,
            period=values.get("period_number") or row.period_number,
        )
    return crud.update_row(session=session, actor=actor, row=row, values=values, entity_type="attendance")


def delete_attendance(*, session: Session, actor: Actor, attendance_id: int) -> None:
    """Remove an attendance record."""
    row = get_attendance(session=session, attendance_id=attendance_id)
    crud.delete_row(session=session, actor=actor, row=row, entity_type="attendance")


def bulk_attendance(
    *, session: Session, actor: Actor, data: AttendanceBulk
) -> tuple[int, int, list[bulk.Row]]:
    """Create or replace every listed mark of one course-day; one audit row."""
    course = bulk.locked_course(session=session, course_id=data.course_id)
    check_mark(course=course, on=data.date, period=data.period_number)
    student_ids = [mark.student_id for mark in data.records]
    bulk.distinct_students(student_ids, field="records")
    bulk.all_enrolled(session=session, course=course, student_ids=student_ids, field="records")
    result = bulk.upsert_per_student(
        session=session,
        model=Attendance,
        key={"course_id": data.course_id, "date": data.date, "period_number": data.period_number},
        values={mark.student_id: {"status": mark.status, "notes": mark.notes} for mark in data.records},
        tracked="status",
        # A re-posted mark counts as written now even when it did not change.
        touch_all=True,
    )
    # Unlike the grade page's, a course-day's audit row lists the students created, not row ids.
    created = [row["student_id"] for row in result.created]
    day = f"course:{data.course_id}:{data.date.isoformat()}:{data.period_number}"
    bulk.audit_upsert(
        session=session, actor=actor, result=result, entity_type="attendance", entity_id=day, created=created
    )
    rows = sorted(result.rows, key=lambda row: row["student_id"])
    return len(result.created), len(result.updated), rows


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
