"""/api/v1/me/classes: the signed-in teacher's courses in the current term ("My classes")."""

from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import CurrentUser
from backend.api.routing import SMSRoute
from backend.db.session import SessionDep
from backend.schemas.common import ERROR_RESPONSES
from backend.schemas.terms import MyClass, MyClasses, TeacherRead, TermRead
from backend.services import course_teachers

router = APIRouter(route_class=SMSRoute, prefix="/api/v1/me", tags=["me"], responses=ERROR_RESPONSES)


@router.get("/classes", summary="List my classes in the current term")
def my_classes(user: CurrentUser, session: SessionDep) -> MyClasses:
    """A teacher's courses of the current term with active student counts; admins and viewers see all."""
    term, rows = course_teachers.my_classes(session=session, user=user)
    items = [
        MyClass(
            id=course.id,
            course_code=course.course_code,
            course_name=course.course_name,
            term_id=course.term_id,
            periods_per_day=course.periods_per_day,
            teachers=[TeacherRead.model_validate(t) for t in course.teachers],
            active_students=students,
        )
        for course, students in rows
    ]
    return MyClasses(term=TermRead.model_validate(term) if term else None, items=items)
