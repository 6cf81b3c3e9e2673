"""Year-end: every active student moves up a study year; those in the top year graduate (once a year)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.models import AcademicYear, Student
from backend.schemas.terms import YearEndMove, YearEndPreview
from backend.services import audit, terms
from backend.services.audit import Actor
from backend.services.errors import Conflict

_ACTIVE = (Student.is_active.is_(True), Student.deleted_at.is_(None))


def preview(*, session: Session, academic_year_id: int, top_year: int) -> YearEndPreview:
    """Which active students would move from study year N to N+1, and who would graduate."""
    year = terms.get_year(session=session, year_id=academic_year_id, field="academic_year_id")
    return _report(session, year, top_year)


def apply(*, session: Session, actor: Actor, academic_year_id: int, top_year: int) -> YearEndPreview:
    """Move every active student up a year and graduate the top year; refused once done for this year."""
    # The year's row is locked first: a second apply waits here and then finds it done.
    year = session.scalar(select(AcademicYear).where(AcademicYear.id == academic_year_id).with_for_update())
    if year is None:
        year = terms.get_year(session=session, year_id=academic_year_id, field="academic_year_id")
    if year.year_end_applied_at is not None:
        raise Conflict(
            f"The year-end of {year.name} was already applied on {year.year_end_applied_at:%Y-%m-%d}",
            code="year_end_done",
            params={"academic_year": year.name, "applied_at": year.year_end_applied_at.isoformat()},
        )
    report = _report(session, year, top_year)
    # Graduate first, so no one promoted into the top year graduates in the same step.
    session.execute(update(Student).where(*_ACTIVE, Student.study_year >= top_year).values(is_active=False))
    session.execute(
        update(Student)
        .where(*_ACTIVE, Student.study_year < top_year)
        .values(study_year=Student.study_year + 1)
    )
    year.year_end_applied_at = datetime.now(UTC)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="year_end",
        entity_type="academic_year",
        entity_id=year.id,
        details={"top_year": top_year, "promoted": report.promoted, "graduated": report.graduated},
    )
    return report.model_copy(update={"applied_at": year.year_end_applied_at})


def _report(session: Session, year: AcademicYear, top_year: int) -> YearEndPreview:
    counts = session.execute(
        select(Student.study_year, func.count())
        .where(*_ACTIVE)
        .group_by(Student.study_year)
        .order_by(Student.study_year)
    ).all()
    moves = [
        YearEndMove(
            from_year=study_year, to_year=study_year + 1 if study_year < top_year else None, students=n
        )
        for study_year, n in counts
    ]
    return YearEndPreview(
        academic_year_id=year.id,
        academic_year_name=year.name,
        top_year=top_year,
        moves=moves,
        promoted=sum(m.students for m in moves if m.to_year is not None),
        graduated=sum(m.students for m in moves if m.to_year is None),
        applied_at=year.year_end_applied_at,
    )
