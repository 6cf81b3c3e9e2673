"""Login sessions: opened at login, checked on every request, revoked on logout.

A token is good only while its session row is live (not revoked, not expired, not idle too
long) and its account's security stamp is the one the token carries; changing the stamp
ends every session of the account at once, and a deleted account's sessions go with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from backend.core.security import TokenClaims, new_session_id, session_key
from backend.models import User, UserSession
from backend.models.user import new_security_stamp

# last_seen_at is written at most this often per session: no write per request.
TOUCH_EVERY = timedelta(minutes=1)
_MAX_USER_AGENT = 255


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: timedelta
    # None: a session is never ended for being idle (only by its lifetime).
    idle: timedelta | None


@dataclass(frozen=True)
class OpenedSession:
    row: UserSession
    # The id the token carries; only its hash is stored.
    session_id: str


@dataclass(frozen=True)
class LiveSession:
    user: User
    # The session row's key (the hash of the id the token carries) and when it ends.
    key: str
    expires_at: datetime
    needs_touch: bool


def open_session(
    *,
    session: Session,
    user: User,
    policy: SessionPolicy,
    ip: str | None,
    user_agent: str | None,
    now: datetime,
) -> OpenedSession:
    """Start a session for a user who just proved who they are."""
    session_id = new_session_id()
    row = UserSession(
        id=session_key(session_id),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + policy.lifetime,
        ip=ip[:64] if ip else None,
        user_agent=user_agent[:_MAX_USER_AGENT] if user_agent else None,
    )
    session.add(row)
    # The account's old, finished sessions are of no use to anyone: drop them here, not by a job.
    session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at < now))
    session.flush()
    return OpenedSession(row=row, session_id=session_id)


# Built once: every request runs it, and a statement built per call costs its construction
# and its cache key each time. The session's columns come as values, not as a second entity.
_LIVE_SESSION = (
    select(User, UserSession.id, UserSession.revoked_at, UserSession.expires_at, UserSession.last_seen_at)
    .join(UserSession, UserSession.user_id == User.id)
    .where(UserSession.id == bindparam("key"), User.id == bindparam("user_id"))
)


def live_session(
    *, session: Session, claims: TokenClaims, policy: SessionPolicy, now: datetime
) -> LiveSession | None:
    """The account and session a token stands for, or None when either is no longer good."""
    found = session.execute(
        _LIVE_SESSION, {"key": session_key(claims.session_id), "user_id": claims.user_id}
    ).one_or_none()
    if found is None:
        return None
    user, key, revoked_at, expires_at, last_seen_at = found
    if not user.is_active or user.security_stamp != claims.stamp:
        return None
    if revoked_at is not None or expires_at <= now:
        return None
    if policy.idle is not None and now - last_seen_at > policy.idle:
        return None
    return LiveSession(
        user=user, key=key, expires_at=expires_at, needs_touch=now - last_seen_at >= TOUCH_EVERY
    )


def touch(*, session: Session, key: str, now: datetime) -> None:
    """Record that the session was used (guarded, so racing requests write it once)."""
    session.execute(
        update(UserSession)
        .where(UserSession.id == key, UserSession.last_seen_at < now - TOUCH_EVERY)
        .values(last_seen_at=now)
    )


def revoke(*, session: Session, key: str, now: datetime) -> None:
    """End one session."""
    session.execute(
        update(UserSession)
        .where(UserSession.id == key, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_all(
    *, session: Session, user: User, now: datetime, keep: str | None = None, rotate_stamp: bool = True
) -> None:
    """End every session of an account (but ``keep``) and change its security stamp.

    Every token needs its live session row, so ending the rows alone logs the account out
    everywhere; ``rotate_stamp=False`` does only that and leaves the users table untouched
    (log out everywhere must work in read-only mode, when the users table is being copied).
    """
    if rotate_stamp:
        user.security_stamp = new_security_stamp()
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep)
    session.execute(stmt.values(revoked_at=now))
