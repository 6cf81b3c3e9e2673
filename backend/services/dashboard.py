"""The dashboard's figures: live counts, today's attendance and students at risk, per term.

Every figure is a COUNT in the database, never the length of a capped list: the summary
shows the exact number of at-risk student-course pairs and a short preview of the worst,
and ``at_risk_page`` pages through all of them ("see all").

A pair is at risk when the student is actively enrolled in a live course and their attended
share of the lessons that count (present and late of present, late and absent; excused
absences do not count) is below the threshold. The comparison is made on exact integers
(attended * 100 < threshold * counted), so the count and the list always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from backend.models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseEnrollment,
    EnrollmentStatus,
    Student,
    Term,
)
from backend.services.attendance import DEFAULT_AT_RISK_THRESHOLD, attendance_rate
from backend.services.crud import PageResult
from backend.services.errors import NotFound

PREVIEW = 10
SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class Scope:
    """Which courses the figures cover: one term's, or every course when ``term`` is None."""

    term: Term | None

    def courses(self, stmt: SelectT) -> SelectT:
        """Keep the live courses of the scope (the statement must already join Course)."""
        stmt = stmt.where(Course.deleted_at.is_(None))
        return stmt if self.term is None else stmt.where(Course.term_id == self.term.id)


def scope_for(*, session: Session, term_id: int | None, all_terms: bool) -> Scope:
    """The term asked for, else the current term, else (no current term, or all_terms) every course."""
    if all_terms:
        return Scope(term=None)
    if term_id is not None:
        term = session.get(Term, term_id)
        if term is None:
            raise NotFound(
                f"Term {term_id} does not exist: pick a term from the list",
                field="term_id",
                code="term_not_found",
                params={"term_id": term_id},
            )
        return Scope(term=term)
    return Scope(term=session.scalar(select(Term).where(Term.is_current.is_(True))))


def _count(session: Session, stmt: Any) -> int:
    return session.scalar(stmt) or 0


def summary(
    *, session: Session, today: date, scope: Scope, threshold: float = DEFAULT_AT_RISK_THRESHOLD
) -> dict[str, Any]:
    """Exact counts of the scope, today's marks, the at-risk count and a preview of the worst pairs."""
    students = _count(session, select(func.count()).select_from(Student).where(Student.deleted_at.is_(None)))
    courses = _count(session, scope.courses(select(func.count()).select_from(Course)))
    enrollments = _count(
        session,
        scope.courses(
            select(func.count())
            .select_from(CourseEnrollment)
            .join(Student, Student.id == CourseEnrollment.student_id)
            .join(Course, Course.id == CourseEnrollment.course_id)
            .where(CourseEnrollment.status == EnrollmentStatus.ACTIVE, Student.deleted_at.is_(None))
        ),
    )
    today_counts = {status.value: 0 for status in AttendanceStatus}
    marks = scope.courses(
        select(Attendance.status, func.count())
        .join(Course, Course.id == Attendance.course_id)
        .where(Attendance.date == today)
        .group_by(Attendance.status)
    )
    for status, count in session.execute(marks):
        today_counts[AttendanceStatus(status).value] = count
    at_risk_preview = at_risk(session=session, scope=scope, threshold=threshold, limit=PREVIEW, offset=0)
    return {
        "term": None if scope.term is None else {"id": scope.term.id, "name": scope.term.name},
        "students": students,
        "courses": courses,
        "enrollments": enrollments,
        "attendance_today": today_counts,
        "at_risk_count": at_risk_preview.total,
        "at_risk_students": at_risk_preview.items,
    }


def _tally(*statuses: AttendanceStatus) -> Any:
    return func.sum(case((Attendance.status.in_(statuses), 1), else_=0))


def _at_risk_pairs(*, scope: Scope, threshold: float) -> Any:
    """The at-risk (student, course) pairs with their tallies, as a subquery.

    Attendance of the scope's courses is aggregated first, once (a MATERIALIZED CTE on
    PostgreSQL, whose planner, with stale statistics, otherwise re-ran the aggregate per
    course past the statement timeout), and only the pairs below the threshold are joined to
    enrollments, students and courses: joining every attendance row first made the
    dashboard take seconds on a school of 20,000 students.
    """
    attended = _tally(AttendanceStatus.PRESENT, AttendanceStatus.LATE)
    counted = _tally(AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT)
    tallied = select(
        Attendance.student_id,
        Attendance.course_id,
        _tally(AttendanceStatus.PRESENT).label("present"),
        _tally(AttendanceStatus.ABSENT).label("absent"),
        _tally(AttendanceStatus.LATE).label("late"),
        # The sort key only; the exact test is the integer comparison in HAVING.
        (attended * 100.0 / counted).label("rate"),
    )
    if scope.term is not None:
        tallied = tallied.where(Attendance.course_id.in_(scope.courses(select(Course.id))))
    tallies = (
        tallied.group_by(Attendance.student_id, Attendance.course_id)
        .having(counted > 0, attended * 100 < counted * threshold)
        .cte("at_risk_tallies")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    stmt = (
        select(tallies)
        .join(Course, Course.id == tallies.c.course_id)
        .join(Student, Student.id == tallies.c.student_id)
        .join(
            CourseEnrollment,
            (CourseEnrollment.student_id == tallies.c.student_id)
            & (CourseEnrollment.course_id == tallies.c.course_id),
        )
        .where(Student.deleted_at.is_(None), CourseEnrollment.status == EnrollmentStatus.ACTIVE)
    )
    return scope.courses(stmt).subquery()


def _at_risk_rows(
    *, session: Session, pairs: Any, limit: int, offset: int
) -> tuple[int | None, list[dict[str, Any]]]:
    """One page of the pairs, worst first, and the exact number of all of them (None: page past the end)."""
    stmt = (
        select(
            Student.id,
            Student.student_id,
            Student.first_name,
            Student.last_name,
            Course.id,
            Course.course_code,
            pairs.c.present,
            pairs.c.absent,
            pairs.c.late,
            # COUNT over the whole result before LIMIT: the exact total in the same query.
            func.count().over().label("total"),
        )
        .join(Student, Student.id == pairs.c.student_id)
        .join(Course, Course.id == pairs.c.course_id)
        .order_by(pairs.c.rate, pairs.c.student_id, pairs.c.course_id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(stmt).all()
    items = [
        {
            "student_id": sid,
            "student_number": number,
            "name": f"{first} {last}",
            "course_id": cid,
            "course_code": code,
            "attendance_rate": attendance_rate(int(present or 0), int(absent or 0), int(late or 0)),
        }
        for sid, number, first, last, cid, code, present, absent, late, _ in rows
    ]
    return (int(rows[0].total) if rows else None), items


def at_risk(*, session: Session, scope: Scope, threshold: float, limit: int, offset: int) -> PageResult:
    """One page of every at-risk pair, worst first, with the exact total."""
    pairs = _at_risk_pairs(scope=scope, threshold=threshold)
    total, items = _at_risk_rows(session=session, pairs=pairs, limit=limit, offset=offset)
    if total is None:  # an empty page: count on its own (0, or a page past the end)
        total = _count(session, select(func.count()).select_from(pairs))
    return PageResult(items=items, total=total, limit=limit, offset=offset)
