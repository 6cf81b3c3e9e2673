"""Highlights: notable moments in a student's semester."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Highlight
from backend.schemas.performance import HighlightCreate, HighlightUpdate
from backend.services import crud
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.records import live_student

HIGHLIGHT_SORTS = {
    "id": Highlight.id,
    "date_recorded": Highlight.date_recorded,
    "semester": Highlight.semester,
    "category": Highlight.category,
    "rating": Highlight.rating,
}


def list_highlights(
    *,
    session: Session,
    query: ListQuery,
    student_id: int | None = None,
    semester: str | None = None,
    category: str | None = None,
    is_positive: bool | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> PageResult:
    """List highlights with filters."""
    stmt = crud.where_equal(
        select(Highlight),
        (Highlight.student_id, student_id),
        (Highlight.semester, semester),
        (Highlight.category, category),
        (Highlight.is_positive, is_positive),
    )
    return crud.list_rows(
        session=session,
        stmt=crud.where_within(stmt, Highlight.date_recorded, date_from, date_to),
        query=query,
        search=(Highlight.highlight_text, Highlight.category),
        sort_columns=HIGHLIGHT_SORTS,
        default_sort="date_recorded",
        default_order="desc",
        tiebreak=Highlight.id,
    )


def get_highlight(*, session: Session, highlight_id: int) -> Highlight:
    """Return one highlight."""
    return crud.get_row(session=session, model=Highlight, row_id=highlight_id, label="Highlight")


def create_highlight(*, session: Session, actor: Actor, data: HighlightCreate) -> Highlight:
    """Record a highlight for a student."""
    live_student(session=session, student_id=data.student_id, field="student_id")
    row = Highlight(**data.model_dump())
    return crud.create_row(session=session, actor=actor, row=row, entity_type="highlight")


def update_highlight(
    *, session: Session, actor: Actor, highlight_id: int, changes: HighlightUpdate
) -> Highlight:
    """Change the given fields of a highlight."""
    row = get_highlight(session=session, highlight_id=highlight_id)
    return crud.update_row(
        session=session, actor=actor, row=row, values=crud.sent(changes), entity_type="highlight"
    )


def delete_highlight(*, session: Session, actor: Actor, highlight_id: int) -> None:
    """Remove a highlight."""
    row = get_highlight(session=session, highlight_id=highlight_id)
    crud.delete_row(session=session, actor=actor, row=row, entity_type="highlight")
