"""Logging in and changing one's own password.

The order that keeps SQLite's write lock free while argon2 runs: the caller first claims the
attempt (backend.services.throttle, its own short committed transaction); then the account is
read and the password checked with no lock held; only a success writes (the session row,
last_login_at, the throttle's reset), in a transaction that is short because the hash is done.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.core.security import hash_password, verify_password
from backend.models import User
from backend.schemas.auth import LoginRequest, PasswordChange
from backend.services import maintenance, sessions, throttle
from backend.services.audit import Actor, record
from backend.services.errors import ServiceError
from backend.services.sessions import OpenedSession, SessionPolicy
from backend.services.throttle import Counter

# Verifying against a real hash when the email is unknown keeps timing from revealing accounts.
_DUMMY_HASH = hash_password("not-a-real-password")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


class WrongCredentials(ServiceError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("Wrong email or password", code="wrong_credentials")


class WrongCurrentPassword(ServiceError):
    # Not 401: the caller is logged in; their session stays, only this change is refused.
    status_code = 400

    def __init__(self) -> None:
        super().__init__(
            "The current password is wrong: type the password you logged in with",
            field="current_password",
            code="wrong_current_password",
        )


class PasswordRejected(ServiceError):
    status_code = 400

    def __init__(
        self, detail: str, *, code: str, field: str, params: dict[str, object] | None = None
    ) -> None:
        super().__init__(detail, field=field, code=code, params=params)


@dataclass(frozen=True)
class LoginCounters:
    account: Counter
    client: Counter


def check_new_password(password: str, *, email: str, field: str = "new_password") -> None:
    """Refuse a password a school should not use, with one line that says why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(
            f"The new password is too short: use at least {MIN_PASSWORD_LENGTH} characters",
            code="password_too_short",
            field=field,
            params={"min_length": MIN_PASSWORD_LENGTH},
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordRejected(
            f"The new password is too long: use at most {MAX_PASSWORD_LENGTH} characters",
            code="password_too_long",
            field=field,
            params={"max_length": MAX_PASSWORD_LENGTH},
        )
    if password.strip().lower() == email.strip().lower():
        raise PasswordRejected(
            "The new password is the account's email: choose something else",
            code="password_is_email",
            field=field,
        )


def generate_password() -> str:
    """A random password an admin hands over once (~96 bits)."""
    return secrets.token_urlsafe(12)


def log_in(
    *,
    session: Session,
    data: LoginRequest,
    counters: LoginCounters,
    policy: SessionPolicy,
    ip: str | None,
    user_agent: str | None,
    now: datetime,
) -> tuple[User, OpenedSession]:
    """Check the password (the attempt is already counted) and open a session, or refuse."""
    user = session.scalar(select(User).where(User.email == data.email.strip().lower()))
    if user is None:
        verify_password(data.password, _DUMMY_HASH)
        raise WrongCredentials()
    if not verify_password(data.password, user.hashed_password) or not user.is_active:
        raise WrongCredentials()
    if not maintenance.get_state(session=session).read_only:
        # In read-only mode (a move to PostgreSQL) the users table is school data being copied:
        # a login touches only the sessions and the throttle, which are bookkeeping.
        user.last_login_at = now
    throttle.forgive_attempt(session=session, account=counters.account, client=counters.client, now=now)
    return user, sessions.open_session(
        session=session, user=user, policy=policy, ip=ip, user_agent=user_agent, now=now
    )


def change_password(
    *, session: Session, actor: Actor, user: User, current_key: str, data: PasswordChange, now: datetime
) -> None:
    """Set a new password after checking the current one; every other session ends.

    The attempt is already counted (a stolen session must not guess the password freely).
    The stamp changes, so the caller hands the current session a fresh token.
    """
    if not verify_password(data.current_password, user.hashed_password):
        raise WrongCurrentPassword()
    check_new_password(data.new_password, email=user.email)
    if data.new_password == data.current_password:
        raise PasswordRejected(
            "The new password is the current one: choose a different password",
            code="password_unchanged",
            field="new_password",
        )
    user.hashed_password = hash_password(data.new_password)
    user.must_change_password = False
    sessions.revoke_all(session=session, user=user, now=now, keep=current_key)
    throttle.clear(session=session, key=throttle.account_key(user.email))
    record(session=session, actor=actor, action="password_change", entity_type="user", entity_id=user.id)
