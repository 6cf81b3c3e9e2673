"""Academic years and terms: audited writes, dates that make sense, one current of each."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.orm import Session

from backend.models import AcademicYear, Course, Term
from backend.schemas.terms import AcademicYearCreate, AcademicYearUpdate, TermCreate, TermUpdate
from backend.services import audit, crud
from backend.services.audit import Actor
from backend.services.errors import Conflict, FieldInvalid, NotFound

Row = TypeVar("Row", AcademicYear, Term)


def list_years(*, session: Session) -> list[AcademicYear]:
    """Every academic year, newest first."""
    return list(
        session.scalars(select(AcademicYear).order_by(AcademicYear.starts_on.desc(), AcademicYear.id))
    )


def list_terms(*, session: Session, academic_year_id: int | None = None) -> list[Term]:
    """Every term (of one year when given), newest first."""
    stmt = crud.where_equal(select(Term), (Term.academic_year_id, academic_year_id))
    return list(session.scalars(stmt.order_by(Term.starts_on.desc(), Term.id)))


def get_year(*, session: Session, year_id: int, field: str | None = None) -> AcademicYear:
    """The academic year with this id, or 404."""
    return _get(session, AcademicYear, year_id, field=field, what="academic year")


def get_term(*, session: Session, term_id: int, field: str | None = None) -> Term:
    """The term with this id, or 404."""
    return _get(session, Term, term_id, field=field, what="term")


def _get(session: Session, model: type[Row], row_id: int, *, field: str | None, what: str) -> Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(
            f"{what.capitalize()} {row_id} does not exist: list the {what}s to find it",
            field=field,
            code=f"{what.replace(' ', '_')}_not_found",
            params={"id": row_id},
        )
    return row


def current_term(*, session: Session) -> Term | None:
    """The term marked current, if any."""
    return session.scalar(select(Term).where(Term.is_current))


def _check_dates(starts_on: date, ends_on: date) -> None:
    if starts_on >= ends_on:
        raise FieldInvalid(
            f"ends_on {ends_on} is not after starts_on {starts_on}: pick a later end date",
            field="ends_on",
            code="ends_before_start",
            params={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        )


def _check_within_year(year: AcademicYear, starts_on: date, ends_on: date) -> None:
    if starts_on < year.starts_on or ends_on > year.ends_on:
        raise FieldInvalid(
            f"The term ({starts_on} to {ends_on}) must lie within {year.name} "
            f"({year.starts_on} to {year.ends_on}): change its dates",
            field="starts_on" if starts_on < year.starts_on else "ends_on",
            code="term_outside_year",
            params={
                "year": year.name,
                "year_starts_on": year.starts_on.isoformat(),
                "year_ends_on": year.ends_on.isoformat(),
            },
        )


def _dated_changes(
    row: AcademicYear | Term, changes: AcademicYearUpdate
) -> tuple[dict[str, Any], date, date]:
    """The fields sent, and the dates the row would have after them (checked: the end after the start)."""
    values = {k: v for k, v in crud.sent(changes).items() if v is not None}
    starts_on, ends_on = values.get("starts_on", row.starts_on), values.get("ends_on", row.ends_on)
    _check_dates(starts_on, ends_on)
    return values, starts_on, ends_on


def _name_taken(name: str, *, what: str) -> Conflict:
    return Conflict(
        f"Another {what} is already named {name!r}: choose another name",
        field="name",
        code=f"{what.replace(' ', '_')}_name_taken",
        params={"name": name},
    )


def create_year(*, session: Session, actor: Actor, data: AcademicYearCreate) -> AcademicYear:
    """Add an academic year (not current until set so)."""
    _check_dates(data.starts_on, data.ends_on)
    if session.scalar(select(exists().where(AcademicYear.name == data.name))):
        raise _name_taken(data.name, what="academic year")
    row = AcademicYear(**data.model_dump(), is_current=False)
    return crud.create_row(session=session, actor=actor, row=row, entity_type="academic_year")


def update_year(*, session: Session, actor: Actor, year_id: int, changes: AcademicYearUpdate) -> AcademicYear:
    """Rename or move an academic year; its terms must still fit inside."""
    year = get_year(session=session, year_id=year_id)
    values, starts_on, ends_on = _dated_changes(year, changes)
    name = values.get("name", year.name)
    if name != year.name and session.scalar(select(exists().where(AcademicYear.name == name))):
        raise _name_taken(name, what="academic year")
    outside = session.scalar(
        select(Term)
        .where(Term.academic_year_id == year.id, (Term.starts_on < starts_on) | (Term.ends_on > ends_on))
        .limit(1)
    )
    if outside is not None:
        raise FieldInvalid(
            f"Term {outside.name} ({outside.starts_on} to {outside.ends_on}) would fall outside the year: "
            "change the term first",
            field="starts_on" if outside.starts_on < starts_on else "ends_on",
            code="year_excludes_term",
            params={"term": outside.name},
        )
    return crud.update_row(session=session, actor=actor, row=year, values=values, entity_type="academic_year")


def delete_year(*, session: Session, actor: Actor, year_id: int) -> None:
    """Remove an academic year that has no terms."""
    year = get_year(session=session, year_id=year_id)
    refusal = f"{year.name} still has terms: delete or move them first"
    used = Term.academic_year_id == year.id
    _delete_unused(session, actor, year, "academic_year", used, refusal, code="academic_year_has_terms")


def create_term(*, session: Session, actor: Actor, data: TermCreate) -> Term:
    """Add a term to an academic year (not current until set so)."""
    year = get_year(session=session, year_id=data.academic_year_id, field="academic_year_id")
    _check_dates(data.starts_on, data.ends_on)
    _check_within_year(year, data.starts_on, data.ends_on)
    if session.scalar(select(exists().where(Term.academic_year_id == year.id, Term.name == data.name))):
        raise _name_taken(data.name, what="term")
    row = Term(**data.model_dump(), is_current=False)
    return crud.create_row(session=session, actor=actor, row=row, entity_type="term")


def update_term(*, session: Session, actor: Actor, term_id: int, changes: TermUpdate) -> Term:
    """Rename a term or change its dates (still inside its year); its courses follow the name."""
    term = get_term(session=session, term_id=term_id)
    values, starts_on, ends_on = _dated_changes(term, changes)
    _check_within_year(term.academic_year, starts_on, ends_on)
    name = values.get("name", term.name)
    if name != term.name:
        taken = exists().where(Term.academic_year_id == term.academic_year_id, Term.name == name)
        if session.scalar(select(taken)):
            raise _name_taken(name, what="term")
        # Courses keep the old free-text columns in step with their term (downgrades and exports read them).
        session.execute(update(Course).where(Course.term_id == term.id).values(semester=name))
    return crud.update_row(session=session, actor=actor, row=term, values=values, entity_type="term")


def delete_term(*, session: Session, actor: Actor, term_id: int) -> None:
    """Remove a term no course belongs to (deleted courses included)."""
    term = get_term(session=session, term_id=term_id)
    refusal = f"Courses still belong to {term.name}: move or erase them first"
    _delete_unused(session, actor, term, "term", Course.term_id == term.id, refusal, code="term_has_courses")


def _delete_unused(
    session: Session,
    actor: Actor,
    row: AcademicYear | Term,
    entity_type: str,
    used: ColumnElement[bool],
    refusal: str,
    *,
    code: str,
) -> None:
    """Delete the row unless another still needs it (`used` finds one): then 409 with `code`."""
    if session.scalar(select(exists().where(used))):
        raise Conflict(refusal, code=code, params={"name": row.name})
    crud.delete_row(session=session, actor=actor, row=row, entity_type=entity_type)


def set_current_term(*, session: Session, actor: Actor, term_id: int) -> Term:
    """Make this term (and its academic year) the current one; every other stops being current.

    The rows are locked first, so parallel requests queue and the last one wins; the partial
    unique indexes would refuse two current rows even if they did not.
    """
    session.scalars(select(AcademicYear.id).with_for_update()).all()
    session.scalars(select(Term.id).with_for_update()).all()
    term = get_term(session=session, term_id=term_id)
    _make_current(session, AcademicYear, term.academic_year_id)
    _make_current(session, Term, term.id)
    session.expire_all()
    term = get_term(session=session, term_id=term_id)
    audit.record(session=session, actor=actor, action="set_current", entity_type="term", entity_id=term.id)
    return term


def set_current_year(*, session: Session, actor: Actor, year_id: int) -> AcademicYear:
    """Make this academic year current; the current term stops being current if it is of another year."""
    session.scalars(select(AcademicYear.id).with_for_update()).all()
    session.scalars(select(Term.id).with_for_update()).all()
    year = get_year(session=session, year_id=year_id)
    _make_current(session, AcademicYear, year.id)
    session.execute(
        update(Term).where(Term.is_current, Term.academic_year_id != year.id).values(is_current=False)
    )
    session.expire_all()
    year = get_year(session=session, year_id=year_id)
    audit.record(
        session=session, actor=actor, action="set_current", entity_type="academic_year", entity_id=year.id
    )
    return year


def _make_current(session: Session, model: type[AcademicYear] | type[Term], row_id: int) -> None:
    # Two statements: one UPDATE flipping both rows could set the new one before clearing the old
    # and trip the unique index on PostgreSQL, which checks it row by row.
    session.execute(update(model).where(model.is_current, model.id != row_id).values(is_current=False))
    session.execute(update(model).where(model.id == row_id).values(is_current=True))
