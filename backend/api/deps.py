"""Request-scoped dependencies: settings, the session behind the token, the user and role guards."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backend.config import Settings
from backend.core.security import decode_access_token
from backend.db.session import SessionDep, get_database, session_scope
from backend.models import User, UserRole
from backend.services import course_teachers, sessions
from backend.services.sessions import SessionPolicy

log = logging.getLogger(__name__)
bearer = HTTPBearer(auto_error=False, description="The access token from POST /api/v1/auth/login")


class CodedHTTPException(HTTPException):
    """An HTTPException whose body carries a stable ``code`` and ``params`` (api/errors.py)."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        *,
        code: str,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, detail, headers=headers)
        self.code = code
        self.params = params or {}


# The dependencies that only look at what is already in memory are ``async def``: FastAPI runs a
# plain ``def`` dependency in its thread pool, and each such hop cost more CPU than the work.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def request_time() -> datetime:
    """When the request is handled. The login throttle's waits are counted from it: one seam,
    so a test can hold the clock still instead of hoping a loaded machine answers in time."""
    return datetime.now(UTC)


NowDep = Annotated[datetime, Depends(request_time)]


def session_policy(settings: Settings) -> SessionPolicy:
    idle = settings.SESSION_IDLE_MINUTES
    return SessionPolicy(
        lifetime=timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES),
        idle=timedelta(minutes=idle) if idle else None,
    )


@dataclass(frozen=True)
class Authenticated:
    """The account and the login session a request's token stands for."""

    user: User
    # The session row's key (the hash of session_id) and the end of its lifetime.
    session_key: str
    expires_at: datetime
    # The id the token carries (the row stores only its hash): a new token for this session needs it.
    session_id: str


def authenticate(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Authenticated:
    """The live session behind the bearer token, or 401."""
    unauthorized = CodedHTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "Not logged in or the session expired: log in again",
        code="not_authenticated",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if credentials is None:
        raise unauthorized
    claims = decode_access_token(credentials.credentials, secret_key=settings.SECRET_KEY)
    if claims is None:
        raise unauthorized
    now = datetime.now(UTC)
    live = sessions.live_session(session=session, claims=claims, policy=session_policy(settings), now=now)
    if live is None:
        raise unauthorized
    if live.needs_touch:
        _touch(request, live.key, now)
    return Authenticated(
        user=live.user, session_key=live.key, expires_at=live.expires_at, session_id=claims.session_id
    )


def _touch(request: Request, key: str, now: datetime) -> None:
    # Its own short transaction: written in the request's, it would hold SQLite's write lock
    # for the rest of a request that may write nothing. Losing one touch only shortens idleness.
    try:
        with session_scope(get_database(request).sessions) as touch_session:
            sessions.touch(session=touch_session, key=key, now=now)
    except SQLAlchemyError as exc:
        log.warning("could not record a session's last use: %s", type(exc).__name__)


AuthenticatedDep = Annotated[Authenticated, Depends(authenticate)]


async def get_current_user(auth: AuthenticatedDep) -> User:
    """The logged-in user, once any password change they owe is done (else 403)."""
    if auth.user.must_change_password:
        raise CodedHTTPException(
            status.HTTP_403_FORBIDDEN,
            "Choose a new password first: this account's password was set by an admin or at installation",
            code="password_change_required",
        )
    return auth.user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: UserRole):  # type: ignore[no-untyped-def]
    allowed = sorted(r.value for r in set(roles))

    async def guard(user: CurrentUser) -> User:
        if user.role.value not in allowed:
            raise CodedHTTPException(
                status.HTTP_403_FORBIDDEN,
                f"This needs the {' or '.join(allowed)} role",
                code="role_required",
                params={"roles": allowed},
            )
        return user

    return guard


AdminUser = Annotated[User, Depends(require_roles(UserRole.ADMIN))]
StaffUser = Annotated[User, Depends(require_roles(UserRole.ADMIN, UserRole.TEACHER))]


@dataclass(frozen=True)
class CourseScope:
    """The one check in front of every write to a course's records: admins any, teachers their own.

    A route calls it with what the request names (a course id in the body, or the id of an
    existing row, whose own course decides) before its service writes anything.
    """

    session: Session
    user: User

    def course(self, course_id: int) -> None:
        course_teachers.require_course_access(session=self.session, user=self.user, course_id=course_id)

    def row(self, model: type[Any], row_id: int) -> None:
        """Check the course of an existing row (a missing row is left to the route's 404)."""
        course_id = self.session.scalar(select(model.course_id).where(model.id == row_id))
        if course_id is not None:
            self.course(course_id)

    def student(self, student_id: int) -> None:
        course_teachers.require_student_access(session=self.session, user=self.user, student_id=student_id)

    def student_row(self, model: type[Any], row_id: int) -> None:
        """Check the student of an existing row that belongs to no course (a highlight)."""
        student_id = self.session.scalar(select(model.student_id).where(model.id == row_id))
        if student_id is not None:
            self.student(student_id)


async def course_scope(user: StaffUser, session: SessionDep) -> CourseScope:
    return CourseScope(session=session, user=user)


CourseScopeDep = Annotated[CourseScope, Depends(course_scope)]
