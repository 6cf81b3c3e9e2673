"""Read-only mode: one row that every process using the database reads (backend/services/maintenance.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, UTCDateTime

# Table.info key of tables that are the database's own bookkeeping, not school data: the
# migration tool neither copies them nor counts their changes as changes to the school.
BOOKKEEPING = "sms_bookkeeping"
# The one row's key; a CHECK keeps a second row out.
STATE_ID = 1


class MaintenanceMode(Base):
    """Whether SMS is read-only, why, since when and who said so; no row means writable."""

    __tablename__ = "maintenance_mode"
    __table_args__ = (
        CheckConstraint(f"id = {STATE_ID}", name="single_row"),
        {"info": {BOOKKEEPING: True}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    read_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reason: Mapped[str | None] = mapped_column(Text)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    set_by: Mapped[str | None] = mapped_column(String(200))
