"""User accounts: the first admin, authentication with lockout."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.core.security import hash_password, verify_password
from backend.models import User, UserRole

log = logging.getLogger(__name__)
# Verifying against a real hash when the email is unknown keeps timing from revealing accounts.
_DUMMY_HASH = hash_password("not-a-real-password")


class LoginLocked(Exception):
    def __init__(self, until: datetime) -> None:
        super().__init__(until)
        self.until = until


def ensure_default_admin(*, session: Session, email: str, password: str | None) -> User | None:
    """Create the first admin from DEFAULT_ADMIN_* when no admin exists yet."""
    if session.scalar(select(func.count()).select_from(User).where(User.role == UserRole.ADMIN)):
        return None
    if not password:
        log.warning(
            "no admin account exists and DEFAULT_ADMIN_PASSWORD is not set: set it in .env "
            "and restart to create the first admin (%s)",
            email,
        )
        return None
    admin = User(
        email=email.lower(),
        full_name="Administrator",
        hashed_password=hash_password(password),
        role=UserRole.ADMIN,
    )
    session.add(admin)
    session.flush()
    log.info("created the first admin account %s from DEFAULT_ADMIN_EMAIL", admin.email)
    return admin


def authenticate(
    *, session: Session, email: str, password: str, max_failures: int, lockout_minutes: int
) -> User | None:
    """Return the user when the password matches; count failures and lock after too many."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return None
    now = datetime.now(UTC)
    if user.locked_until is not None and user.locked_until > now:
        raise LoginLocked(user.locked_until)
    if not verify_password(password, user.hashed_password) or not user.is_active:
        user.failed_login_attempts += 1
        if user.failed_login_attempts >= max_failures:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_login_attempts = 0
        return None
    user.failed_login_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    return user
