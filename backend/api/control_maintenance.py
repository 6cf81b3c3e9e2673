"""Read-only mode: show it to everyone signed in; show it in full, or switch it (admin, audited).

The same service functions as ``python -m backend.scripts.maintenance`` (the audit row, the
row lock that waits for writes in flight). This process sees its own switch at once; other
processes within read_only.CACHE_SECONDS.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from backend.api.actors import actor_for
from backend.api.deps import AdminUser, CodedHTTPException, SettingsDep, bearer, session_policy
from backend.api.read_only import cache_of
from backend.api.routing import SMSRoute
from backend.core.security import decode_access_token
from backend.db.session import SessionDep
from backend.schemas.common import error_responses
from backend.schemas.maintenance import MaintenanceStatus, MaintenanceSwitch
from backend.services import maintenance, sessions
from backend.services.maintenance import MaintenanceState

router = APIRouter(route_class=SMSRoute, tags=["control"])
ADMIN_PATH = "/api/v1/control/maintenance"
DEFAULT_REASON = "maintenance"
_REFUSED = error_responses((401, "Not logged in"), (403, "Only admins may see or switch read-only mode"))


class MaintenanceNotice(BaseModel):
    """What every signed-in user is shown: whether SMS is read-only, why and since when (not who)."""

    read_only: bool
    reason: str | None = Field(description="why SMS is read-only (null when writable)")
    since: datetime | None = Field(description="when the mode was last switched (UTC); null if never")


@router.get(
    "/api/v1/maintenance",
    summary="Show whether SMS is read-only",
    responses=error_responses((401, "Not logged in")),
)
def get_maintenance_notice(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> MaintenanceNotice:
    """Whether SMS is read-only, why and since when, for the banner every signed-in user sees."""
    # A live session is checked but not touched (unlike deps.authenticate): the web app polls
    # this every few seconds, and a poll must not keep an idle session alive. A user who owes
    # a password change sees it too, since that change is a write the mode refuses.
    claims = (
        decode_access_token(credentials.credentials, secret_key=settings.SECRET_KEY) if credentials else None
    )
    now = datetime.now(UTC)
    policy = session_policy(settings)
    if (
        claims is None
        or sessions.live_session(session=session, claims=claims, policy=policy, now=now) is None
    ):
        raise CodedHTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Not logged in or the session expired: log in again",
            code="not_authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    state = maintenance.get_state(session=session)
    return MaintenanceNotice(read_only=state.read_only, reason=state.reason, since=state.since)


def _status(state: MaintenanceState) -> MaintenanceStatus:
    return MaintenanceStatus(
        read_only=state.read_only, reason=state.reason, since=state.since, set_by=state.set_by
    )


@router.get(ADMIN_PATH, summary="Show read-only mode (admin)", responses=_REFUSED)
def get_maintenance(_: AdminUser, session: SessionDep) -> MaintenanceStatus:
    """Whether SMS is read-only, why, since when and who switched it, as the database says."""
    return _status(maintenance.get_state(session=session))


@router.put(ADMIN_PATH, summary="Turn read-only mode on or off (admin)", responses=_REFUSED)
def set_maintenance(
    body: MaintenanceSwitch, user: AdminUser, request: Request, session: SessionDep
) -> MaintenanceStatus:
    """Switch read-only mode for every process using the database; an audit row each time."""
    actor = actor_for(user, request)
    if body.read_only:
        switch = maintenance.turn_on(
            session=session, reason=body.reason or DEFAULT_REASON, set_by=user.email, actor=actor
        )
    else:
        switch = maintenance.turn_off(session=session, set_by=user.email, actor=actor)
    # Committed when the route returns; this process's copy may already say what it will be.
    cache_of(request).store(switch.after)
    return _status(switch.after)
