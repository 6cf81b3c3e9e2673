"""/api/v1/auth: log in and out, the logged-in user, and changing one's own password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response, status

from backend.api.actors import actor_for
from backend.api.deps import AuthenticatedDep, CurrentUser, NowDep, SettingsDep, session_policy
from backend.api.routing import SMSRoute
from backend.config import Settings
from backend.core.security import create_access_token
from backend.db.session import DatabaseDep, SessionDep, session_scope
from backend.models import User
from backend.schemas.auth import LoginRequest, Me, PasswordChange, Token
from backend.schemas.common import ErrorBody
from backend.services import auth as service
from backend.services import sessions, throttle
from backend.services.throttle import Counter, ThrottlePolicy

router = APIRouter(route_class=SMSRoute, prefix="/api/v1/auth", tags=["auth"])

_THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {
        "model": ErrorBody,
        "description": "login_throttled: wait Retry-After seconds (params.retry_after_seconds)",
    }
}
_REFUSED: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The new password is refused (code and field say why)"},
    401: {"model": ErrorBody, "description": "Not logged in"},
    **_THROTTLED,
}


def _client(request: Request) -> str | None:
    # The socket's peer. Behind a reverse proxy, uvicorn's --proxy-headers with
    # FORWARDED_ALLOW_IPS naming the proxy makes this the real client; a bare
    # X-Forwarded-For from anyone else is never believed.
    return request.client.host if request.client else None


def _counters(settings: Settings, email: str, client: str | None) -> service.LoginCounters:
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    delay = settings.LOGIN_MAX_DELAY_SECONDS
    return service.LoginCounters(
        account=Counter(
            throttle.account_key(email), ThrottlePolicy(settings.LOGIN_MAX_FAILURES, delay, window)
        ),
        client=Counter(
            throttle.client_key(client), ThrottlePolicy(settings.LOGIN_CLIENT_MAX_FAILURES, delay, window)
        ),
    )


def _claim(database: DatabaseDep, counters: service.LoginCounters, now: datetime) -> None:
    # Counted and committed before the password is checked: parallel guesses cannot share a
    # count, and argon2 then runs with no lock held.
    with session_scope(database.sessions) as claim_session:
        throttle.claim_attempt(session=claim_session, counters=[counters.account, counters.client], now=now)


def _token(settings: Settings, user: User, expires_at: datetime, session_id: str) -> Token:
    token = create_access_token(
        user_id=user.id,
        session_id=session_id,
        stamp=user.security_stamp,
        secret_key=settings.SECRET_KEY,
        expires_at=expires_at,
    )
    return Token(access_token=token, expires_at=expires_at, must_change_password=user.must_change_password)


@router.post("/login", summary="Log in with email and password", responses=_REFUSED)
def login(
    body: LoginRequest,
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
    now: NowDep,
) -> Token:
    """Exchange email and password for a bearer token of a new session."""
    counters = _counters(settings, body.email, _client(request))
    _claim(database, counters, now)
    user, opened = service.log_in(
        session=session,
        data=body,
        counters=counters,
        policy=session_policy(settings),
        ip=_client(request),
        user_agent=request.headers.get("user-agent"),
        now=now,
    )
    return _token(settings, user, opened.row.expires_at, opened.session_id)


@router.get("/me", summary="Show the logged-in user")
def me(auth: AuthenticatedDep) -> Me:
    """Return the account behind the token (also while it must change its password)."""
    user = auth.user
    return Me(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        must_change_password=user.must_change_password,
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Log out (end this session)")
def logout(auth: AuthenticatedDep, session: SessionDep) -> Response:
    """End the session of this token on the server; the token stops working at once."""
    sessions.revoke(session=session, key=auth.session_key, now=datetime.now(UTC))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/logout-everywhere", status_code=status.HTTP_204_NO_CONTENT, summary="Log out of every session")
def logout_everywhere(auth: AuthenticatedDep, _: CurrentUser, session: SessionDep) -> Response:
    """End every session of this account, on every device, this one included."""
    sessions.revoke_all(session=session, user=auth.user, now=datetime.now(UTC), rotate_stamp=False)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password", summary="Change my password", responses=_REFUSED)
def change_password(
    body: PasswordChange,
    auth: AuthenticatedDep,
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
    now: NowDep,
) -> Token:
    """Set a new password (the current one is asked); other sessions end, this one gets a new token."""
    user = auth.user
    counters = _counters(settings, user.email, _client(request))
    _claim(database, counters, now)
    service.change_password(
        session=session,
        actor=actor_for(user, request),
        user=user,
        current_key=auth.session_key,
        data=body,
        now=now,
    )
    # The session keeps its id and lifetime; only the stamp in its token is new.
    return _token(settings, user, auth.expires_at, auth.session_id)
