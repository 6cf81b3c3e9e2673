from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, String, false
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, IntegerIdMixin, TimestampMixin, UTCDateTime, checked_enum
from backend.models.enums import UserRole


def new_security_stamp() -> str:
    """A fresh random stamp: every token signed with the old one stops working."""
    return secrets.token_hex(16)


class User(IntegerIdMixin, TimestampMixin, Base):
    __tablename__ = "users"
    # AUTOINCREMENT: SQLite would otherwise hand a deleted account's id to the next one made.
    __table_args__ = ({"sqlite_autoincrement": True},)

    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    hashed_password: Mapped[str] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(checked_enum(UserRole, name="user_role"), default=UserRole.VIEWER)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Changes on a password change, deactivation, role change and "log out everywhere".
    security_stamp: Mapped[str] = mapped_column(String(64), default=new_security_stamp)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
