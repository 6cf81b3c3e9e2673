"""/api/v1/academic-years and /api/v1/terms: the school calendar (admins write, everyone reads)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from backend.api.actors import AdminActor
from backend.api.deps import CurrentUser
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.schemas.common import ERROR_RESPONSES, MAX_INT
from backend.schemas.terms import (
    AcademicYearCreate,
    AcademicYearRead,
    AcademicYearUpdate,
    TermCreate,
    TermRead,
    TermUpdate,
)
from backend.services import terms as service

years_router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/academic-years", tags=["academic-years"], responses=ERROR_RESPONSES
)
router = APIRouter(route_class=SMSRoute, prefix="/api/v1/terms", tags=["terms"], responses=ERROR_RESPONSES)
YearPk = Annotated[int, Path(ge=1, le=MAX_INT, description="The academic year's database id")]
TermPk = Annotated[int, Path(ge=1, le=MAX_INT, description="The term's database id")]


@years_router.get("", summary="List academic years")
def list_years(_: CurrentUser, session: SessionDep) -> list[AcademicYearRead]:
    """Every academic year, newest first."""
    return [AcademicYearRead.model_validate(y) for y in service.list_years(session=session)]


@years_router.post("", status_code=status.HTTP_201_CREATED, summary="Create an academic year")
def create_year(actor: AdminActor, session: SessionDep, body: AcademicYearCreate) -> AcademicYearRead:
    """Add an academic year."""
    return AcademicYearRead.model_validate(service.create_year(session=session, actor=actor, data=body))


@years_router.patch("/{year_id}", summary="Update an academic year")
def update_year(
    actor: AdminActor, session: SessionDep, year_id: YearPk, body: AcademicYearUpdate
) -> AcademicYearRead:
    """Change the fields sent; its terms must still fit inside."""
    year = service.update_year(session=session, actor=actor, year_id=year_id, changes=body)
    return AcademicYearRead.model_validate(year)


@years_router.delete("/{year_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete an academic year")
def delete_year(actor: AdminActor, session: SessionDep, year_id: YearPk) -> Response:
    """Remove an academic year without terms."""
    service.delete_year(session=session, actor=actor, year_id=year_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@years_router.post("/{year_id}/current", summary="Make an academic year the current one")
def set_current_year(actor: AdminActor, session: SessionDep, year_id: YearPk) -> AcademicYearRead:
    """Mark this year current and every other not."""
    year = service.set_current_year(session=session, actor=actor, year_id=year_id)
    return AcademicYearRead.model_validate(year)


@router.get("", summary="List terms")
def list_terms(
    _: CurrentUser,
    session: SessionDep,
    academic_year_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
) -> list[TermRead]:
    """Every term, newest first; filter by academic year."""
    rows = service.list_terms(session=session, academic_year_id=academic_year_id)
    return [TermRead.model_validate(t) for t in rows]


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a term")
def create_term(actor: AdminActor, session: SessionDep, body: TermCreate) -> TermRead:
    """Add a term within its academic year."""
    return TermRead.model_validate(service.create_term(session=session, actor=actor, data=body))


@router.patch("/{term_id}", summary="Update a term")
def update_term(actor: AdminActor, session: SessionDep, term_id: TermPk, body: TermUpdate) -> TermRead:
    """Change the fields sent; the dates must stay within the year."""
    return TermRead.model_validate(
        service.update_term(session=session, actor=actor, term_id=term_id, changes=body)
    )


@router.delete("/{term_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a term")
def delete_term(actor: AdminActor, session: SessionDep, term_id: TermPk) -> Response:
    """Remove a term no course belongs to."""
    service.delete_term(session=session, actor=actor, term_id=term_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{term_id}/current", summary="Make a term the current one")
def set_current_term(actor: AdminActor, session: SessionDep, term_id: TermPk) -> TermRead:
    """Mark this term and its academic year current, every other not."""
    return TermRead.model_validate(service.set_current_term(session=session, actor=actor, term_id=term_id))
