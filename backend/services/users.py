"""User accounts: the first admin, authentication with lockout, and admin management."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.core.security import hash_password, verify_password
from backend.models import User, UserRole
from backend.schemas.users import UserCreate, UserUpdate
from backend.services import crud
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import RuleViolation

log = logging.getLogger(__name__)
# Verifying against a real hash when the email is unknown keeps timing from revealing accounts.
_DUMMY_HASH = hash_password("not-a-real-password")


class LoginLocked(Exception):
    def __init__(self, until: datetime) -> None:
        super().__init__(until)
        self.until = until


def ensure_default_admin(*, session: Session, email: str, password: str | None) -> User | None:
    """Create the first admin from DEFAULT_ADMIN_* when no active admin exists."""
    active_admin = (User.role == UserRole.ADMIN) & User.is_active.is_(True)
    if session.scalar(select(func.count()).select_from(User).where(active_admin)):
        return None
    if not password:
        log.warning(
            "no active admin account exists and DEFAULT_ADMIN_PASSWORD is not set: set it in .env "
            "and restart to create the first admin (%s)",
            email,
        )
        return None
    if session.scalar(select(User.id).where(User.email == email.lower())) is not None:
        # Never take over an existing account, even a deactivated one.
        log.warning(
            "no active admin account exists and DEFAULT_ADMIN_EMAIL %s belongs to an existing "
            "account: reactivate an admin or set DEFAULT_ADMIN_EMAIL to a new address",
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


USER_SORTS = {
    "id": User.id,
    "email": User.email,
    "full_name": User.full_name,
    "role": User.role,
    "created_at": User.created_at,
    "last_login_at": User.last_login_at,
}


def list_users(
    *, session: Session, query: ListQuery, role: UserRole | None = None, is_active: bool | None = None
) -> PageResult:
    """List user accounts with filters."""
    stmt = crud.where_equal(select(User), (User.role, role), (User.is_active, is_active))
    return crud.list_rows(
        session=session,
        stmt=stmt,
        query=query,
        search=(User.email, User.full_name),
        sort_columns=USER_SORTS,
        default_sort="email",
        tiebreak=User.id,
    )


def get_user(*, session: Session, user_id: int) -> User:
    """Return one user account."""
    return crud.get_row(session=session, model=User, row_id=user_id, label="User")


def create_user(*, session: Session, actor: Actor, data: UserCreate) -> User:
    """Add an account; the password is stored only as an argon2 hash."""
    values = data.model_dump(exclude={"password"})
    values.update(email=data.email.lower(), hashed_password=hash_password(data.password))
    return crud.create_row(session=session, actor=actor, row=User(**values), entity_type="user")


def _other_active_admins(session: Session, user_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(User)
        .where(User.role == UserRole.ADMIN, User.is_active.is_(True), User.id != user_id)
    )
    return session.scalar(stmt) or 0


def _keep_an_admin(session: Session, user: User, action: str) -> None:
    if user.role == UserRole.ADMIN and user.is_active and not _other_active_admins(session, user.id):
        raise RuleViolation(
            f"{user.email} is the only active admin, so it cannot be {action}: make another admin first"
        )


def update_user(*, session: Session, actor: Actor, user_id: int, changes: UserUpdate) -> User:
    """Change an account; a new password is hashed, ``unlock`` clears a login lockout."""
    user = get_user(session=session, user_id=user_id)
    # An update field that was not sent is None (a sent null is refused).
    if (user.role if changes.role is None else changes.role) != UserRole.ADMIN:
        _keep_an_admin(session, user, "demoted")
    if changes.is_active is False:
        _keep_an_admin(session, user, "deactivated")
    values = crud.sent(changes)
    values.pop("password", None)
    if values.pop("unlock", False):
        values.update(locked_until=None, failed_login_attempts=0)
    if changes.email is not None:
        values["email"] = changes.email.lower()
    unseen: dict[str, str] = {}
    if changes.password is not None:
        user.hashed_password = hash_password(changes.password)
        # The audit trail says that the password changed, never what to.
        unseen["password"] = "changed"
    return crud.update_row(
        session=session, actor=actor, row=user, values=values, entity_type="user", unseen=unseen
    )


def delete_user(*, session: Session, actor: Actor, user_id: int) -> None:
    """Remove an account; its audit rows keep the email."""
    user = get_user(session=session, user_id=user_id)
    if user.id == actor.user_id:
        raise RuleViolation("You cannot delete your own account: ask another admin")
    _keep_an_admin(session, user, "deleted")
    crud.delete_row(session=session, actor=actor, row=user, entity_type="user")
