"""/api/v1/highlights: notable moments in a student's semester (teachers and admins write)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from backend.api.actors import StaffActor
from backend.api.deps import CourseScopeDep, CurrentUser
from backend.api.pagination import ListQueryDep, page_of
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.models import Highlight
from backend.schemas.common import ERROR_RESPONSES, MAX_INT, Page, Text
from backend.schemas.performance import HighlightCreate, HighlightRead, HighlightUpdate
from backend.services import highlights as service

router = APIRouter(
    route_class=SMSRoute, prefix="/api/v1/highlights", tags=["highlights"], responses=ERROR_RESPONSES
)
HighlightPk = Annotated[int, Path(ge=1, le=MAX_INT)]


@router.get("", summary="List highlights")
def list_highlights(
    _: CurrentUser,
    session: SessionDep,
    query: ListQueryDep,
    student_id: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
    semester: Annotated[Text | None, Query(max_length=50)] = None,
    category: Annotated[Text | None, Query(max_length=50)] = None,
    is_positive: bool | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Page[HighlightRead]:
    """List highlights, newest first; search the text; filter by student, semester and dates."""
    result = service.list_highlights(
        session=session,
        query=query,
        student_id=student_id,
        semester=semester,
        category=category,
        is_positive=is_positive,
        date_from=date_from,
        date_to=date_to,
    )
    return page_of(result, HighlightRead)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record a highlight")
def create_highlight(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, body: HighlightCreate
) -> HighlightRead:
    """Record a highlight for a student."""
    scope.student(body.student_id)
    row = service.create_highlight(session=session, actor=actor, data=body)
    return HighlightRead.model_validate(row)


@router.get("/{highlight_id}", summary="Get a highlight")
def get_highlight(_: CurrentUser, session: SessionDep, highlight_id: HighlightPk) -> HighlightRead:
    """Return one highlight."""
    return HighlightRead.model_validate(service.get_highlight(session=session, highlight_id=highlight_id))


@router.patch("/{highlight_id}", summary="Update a highlight")
def update_highlight(
    actor: StaffActor,
    session: SessionDep,
    scope: CourseScopeDep,
    highlight_id: HighlightPk,
    body: HighlightUpdate,
) -> HighlightRead:
    """Change the fields sent; leave the others as they are."""
    scope.student_row(Highlight, highlight_id)
    row = service.update_highlight(session=session, actor=actor, highlight_id=highlight_id, changes=body)
    return HighlightRead.model_validate(row)


@router.delete("/{highlight_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a highlight")
def delete_highlight(
    actor: StaffActor, session: SessionDep, scope: CourseScopeDep, highlight_id: HighlightPk
) -> Response:
    """Remove a highlight."""
    scope.student_row(Highlight, highlight_id)
    service.delete_highlight(session=session, actor=actor, highlight_id=highlight_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
