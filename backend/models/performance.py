from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, IntegerIdMixin, TimestampMixin


class DailyPerformance(IntegerIdMixin, TimestampMixin, Base):
    __tablename__ = "daily_performance"

    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    category: Mapped[str] = mapped_column(String(50))
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=10.0)
    notes: Mapped[str | None] = mapped_column(Text)


class Highlight(IntegerIdMixin, TimestampMixin, Base):
    __tablename__ = "highlights"

    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    semester: Mapped[str] = mapped_column(String(50))
    category: Mapped[str] = mapped_column(String(50))
    rating: Mapped[int | None] = mapped_column(Integer)
    highlight_text: Mapped[str] = mapped_column(Text)
    date_recorded: Mapped[date] = mapped_column(Date)
    is_positive: Mapped[bool] = mapped_column(Boolean, default=True)
