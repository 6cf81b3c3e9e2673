"""User accounts: the first admin, admin management and the last-admin rule."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.core.security import hash_password
from backend.db import locks
from backend.models import User, UserRole
from backend.schemas.auth import PasswordReset, PasswordResetResult
from backend.schemas.users import UserCreate, UserUpdate
from backend.services import audit, auth, crud, sessions, throttle
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import RuleViolation

log = logging.getLogger(__name__)
_ACTIVE_ADMIN = (User.role == UserRole.ADMIN) & User.is_active.is_(True)


def ensure_default_admin(
    *, session: Session, email: str, password: str | None, must_change_password: bool = True
) -> User | None:
    """Create the first admin from DEFAULT_ADMIN_* when no active admin exists.

    This is also the repair when no active admin is left: the log says how, as an error.
    Processes starting at once (replicas, workers) take turns through a database lock, so the
    admin is created once and the others find it.
    """
    if session.scalar(select(func.count()).select_from(User).where(_ACTIVE_ADMIN)):
        return None
    locks.hold(session.connection(), locks.FIRST_ADMIN)
    if session.scalar(select(func.count()).select_from(User).where(_ACTIVE_ADMIN)):
        return None
    if not password:
        log.error(
            "no active admin account exists and DEFAULT_ADMIN_PASSWORD is not set: set it in .env "
            "and restart to create an admin (%s)",
            email,
        )
        return None
    if session.scalar(select(User.id).where(User.email == email.lower())) is not None:
        # Never take over an existing account, even a deactivated one.
        log.error(
            "no active admin account exists and DEFAULT_ADMIN_EMAIL %s belongs to an existing "
            "account: set DEFAULT_ADMIN_EMAIL to a new address and restart (SMS then creates that "
            "admin, who can reactivate or promote the others)",
            email,
        )
        return None
    admin = User(
        email=email.lower(),
        full_name="Administrator",
        hashed_password=hash_password(password),
        role=UserRole.ADMIN,
        must_change_password=must_change_password,
    )
    session.add(admin)
    session.flush()
    log.info("created the first admin account %s from DEFAULT_ADMIN_EMAIL", admin.email)
    return admin


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


def _lock_active_admins(session: Session) -> list[User]:
    """Read the active admins FOR UPDATE, in id order, freshly: the last-admin rule's decision.

    Two admins demoting each other at once both lock every active admin row first, so the
    second waits for the first and then sees the admin it removed gone (PostgreSQL re-reads
    locked rows; SQLite takes its write lock here). The same order in every caller keeps them
    from deadlocking.
    """
    stmt = select(User).where(_ACTIVE_ADMIN).order_by(User.id).with_for_update()
    return list(session.scalars(stmt.execution_options(populate_existing=True)))


def _keep_an_admin(admins: list[User], user: User, action: str) -> None:
    if user in admins and len(admins) == 1:
        raise RuleViolation(
            f"{user.email} is the only active admin, so it cannot be {action}: make another admin first",
            code="last_admin",
            params={"email": user.email, "action": action},
        )


def update_user(*, session: Session, actor: Actor, user_id: int, changes: UserUpdate) -> User:
    """Change an account; a new password, role or deactivation ends its sessions."""
    # Hashed before any lock is taken: argon2 is slow and needs none.
    new_hash = hash_password(changes.password) if changes.password is not None else None
    admins = _lock_active_admins(session) if changes.role is not None or changes.is_active is not None else []
    user = get_user(session=session, user_id=user_id)
    # An update field that was not sent is None (a sent null is refused).
    if changes.role is not None and changes.role != UserRole.ADMIN:
        _keep_an_admin(admins, user, "demoted")
    if changes.is_active is False:
        _keep_an_admin(admins, user, "deactivated")
    values = crud.sent(changes)
    values.pop("password", None)
    if changes.email is not None:
        values["email"] = changes.email.lower()
    unseen: dict[str, str] = {}
    ends_sessions = (changes.role is not None and changes.role != user.role) or (
        changes.is_active is False and user.is_active
    )
    if new_hash is not None:
        user.hashed_password = new_hash
        # An admin chose it, so its owner replaces it at the next login.
        values["must_change_password"] = True
        # The audit trail says that the password changed, never what to.
        unseen["password"] = "changed"
        ends_sessions = True
    if ends_sessions:
        sessions.revoke_all(session=session, user=user, now=datetime.now(UTC))
    return crud.update_row(
        session=session, actor=actor, row=user, values=values, entity_type="user", unseen=unseen
    )


def reset_password(
    *, session: Session, actor: Actor, user_id: int, data: PasswordReset
) -> PasswordResetResult:
    """Give an account a new password (sent, or generated and returned once); its sessions end."""
    if user_id == actor.user_id:
        raise RuleViolation(
            "Change your own password on your account page, which asks for the current one",
            code="reset_own_password",
        )
    user = get_user(session=session, user_id=user_id)
    generated = None if data.new_password is not None else auth.generate_password()
    password = data.new_password if data.new_password is not None else generated
    assert password is not None
    auth.check_new_password(password, email=user.email)
    new_hash = hash_password(password)
    user.hashed_password = new_hash
    user.must_change_password = True
    sessions.revoke_all(session=session, user=user, now=datetime.now(UTC))
    throttle.clear(session=session, key=throttle.account_key(user.email))
    audit.record(
        session=session,
        actor=actor,
        action="password_reset",
        entity_type="user",
        entity_id=user.id,
        details={"generated": generated is not None},
    )
    return PasswordResetResult(user_id=user.id, generated_password=generated, must_change_password=True)


def clear_login_throttle(*, session: Session, actor: Actor, user_id: int) -> None:
    """Let an account log in again at once, whatever its throttle said."""
    user = get_user(session=session, user_id=user_id)
    if throttle.clear(session=session, key=throttle.account_key(user.email)):
        audit.record(
            session=session, actor=actor, action="login_unthrottle", entity_type="user", entity_id=user.id
        )


def delete_user(*, session: Session, actor: Actor, user_id: int) -> None:
    """Remove an account; its sessions go with it, its audit rows keep the email."""
    if user_id == actor.user_id:
        raise RuleViolation(
            "You cannot delete your own account: ask another admin", code="delete_own_account"
        )
    admins = _lock_active_admins(session)
    user = get_user(session=session, user_id=user_id)
    _keep_an_admin(admins, user, "deleted")
    crud.delete_row(session=session, actor=actor, row=user, entity_type="user")
