"""Daily performance scores of students in their courses."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.models import DailyPerformance
from backend.schemas.performance import PerformanceCreate, PerformanceUpdate
from backend.services import crud
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import FieldInvalid
from backend.services.records import RecordFilter, filtered, live_course, live_student, require_enrolled

PERFORMANCE_SORTS = {
    "id": DailyPerformance.id,
    "date": DailyPerformance.date,
    "category": DailyPerformance.category,
    "score": DailyPerformance.score,
}


def list_performance(*, session: Session, query: ListQuery, filters: RecordFilter) -> PageResult:
    """List daily performance scores with filters."""
    stmt = filtered(model=DailyPerformance, dated=DailyPerformance.date, filters=filters)
    return crud.list_rows(
        session=session,
        stmt=stmt,
        query=query,
        search=(DailyPerformance.category, DailyPerformance.notes),
        sort_columns=PERFORMANCE_SORTS,
        default_sort="date",
        default_order="desc",
        tiebreak=DailyPerformance.id,
    )


def get_performance(*, session: Session, performance_id: int) -> DailyPerformance:
    """Return one daily performance score."""
    return crud.get_row(
        session=session, model=DailyPerformance, row_id=performance_id, label="Daily performance record"
    )


def _check_score(score: float, max_score: float) -> None:
    if score > max_score:
        raise FieldInvalid(
            f"score {score:g} is above max_score {max_score:g}: lower it or raise max_score",
            field="score",
            code="score_above_max",
            params={"score": score, "max_score": max_score},
        )


def create_performance(*, session: Session, actor: Actor, data: PerformanceCreate) -> DailyPerformance:
    """Record a daily score for an enrolled student."""
    student = live_student(session=session, student_id=data.student_id, field="student_id")
    course = live_course(session=session, course_id=data.course_id, field="course_id")
    _check_score(data.score, data.max_score)
    require_enrolled(session=session, student=student, course=course)
    row = DailyPerformance(**data.model_dump())
    return crud.create_row(session=session, actor=actor, row=row, entity_type="daily_performance")


def update_performance(
    *, session: Session, actor: Actor, performance_id: int, changes: PerformanceUpdate
) -> DailyPerformance:
    """Change the given fields of a daily score."""
    row = get_performance(session=session, performance_id=performance_id)
    # An update field that was not sent is None (a sent null is refused where a value is needed).
    score = row.score if changes.score is None else changes.score
    _check_score(score, row.max_score if changes.max_score is None else changes.max_score)
    return crud.update_row(
        session=session, actor=actor, row=row, values=crud.sent(changes), entity_type="daily_performance"
    )


def delete_performance(*, session: Session, actor: Actor, performance_id: int) -> None:
    """Remove a daily score."""
    row = get_performance(session=session, performance_id=performance_id)
    crud.delete_row(session=session, actor=actor, row=row, entity_type="daily_performance")
