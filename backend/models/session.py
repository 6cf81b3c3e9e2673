"""Login sessions (one per login) and the login throttle's counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, UTCDateTime, utcnow
from backend.models.maintenance import BOOKKEEPING


class UserSession(Base):
    """One login. The token names it by a random id; only that id's SHA-256 is stored."""

    __tablename__ = "user_sessions"
    # Logins are not school data: a move to PostgreSQL starts with no sessions (everyone logs
    # in again), and a login during the move is no change to what is being copied.
    __table_args__ = ({"info": {BOOKKEEPING: True}},)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))


class LoginThrottle(Base):
    """Login attempts counted per key: ``account:<email>`` or ``client:<address>``."""

    __tablename__ = "login_throttle"
    __table_args__ = ({"info": {BOOKKEEPING: True}},)

    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
