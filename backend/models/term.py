"""Academic years and their terms: the calendar courses, attendance and year-end hang on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.models.base import Base, IntegerIdMixin, TimestampMixin, UTCDateTime


def _one_current(table: str) -> Index:
    # A partial unique index: two requests setting "current" at once cannot both win.
    return Index(
        f"uq_{table}_is_current",
        "is_current",
        unique=True,
        sqlite_where=text("is_current"),
        postgresql_where=text("is_current"),
    )


class AcademicYear(IntegerIdMixin, TimestampMixin, Base):
    __tablename__ = "academic_years"
    __table_args__ = (
        CheckConstraint("starts_on < ends_on", name="starts_before_ends"),
        _one_current("academic_years"),
    )

    name: Mapped[str] = mapped_column(String(50), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set once by the year-end step: a second run for the same year is refused.
    year_end_applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Term(IntegerIdMixin, TimestampMixin, Base):
    __tablename__ = "terms"
    __table_args__ = (
        # Leads with academic_year_id and serves "the terms of a year" too.
        UniqueConstraint("academic_year_id", "name"),
        CheckConstraint("starts_on < ends_on", name="starts_before_ends"),
        _one_current("terms"),
    )

    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(50))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # Joined: a term is always shown with its year's name.
    academic_year: Mapped[AcademicYear] = relationship(viewonly=True, lazy="joined")

    @property
    def academic_year_name(self) -> str:
        return self.academic_year.name
