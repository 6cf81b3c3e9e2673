from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Float, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, BigIntegerIdMixin, TimestampMixin


class Grade(BigIntegerIdMixin, TimestampMixin, Base):
    __tablename__ = "grades"
    __table_args__ = (
        # An assignment's grades (grade entry, its bulk post) are read by course and name; the
        # index leads with course_id and serves "a course's grades" too (revision 0007).
        Index("ix_grades_course_id_assignment_name", "course_id", "assignment_name"),
    )

    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    assignment_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50))
    grade: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    max_grade: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("100"))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    date_assigned: Mapped[date | None] = mapped_column(Date)
    date_submitted: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
