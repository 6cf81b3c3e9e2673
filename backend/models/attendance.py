from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Enum, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, BigIntegerIdMixin, TimestampMixin
from backend.models.enums import AttendanceStatus


class Attendance(BigIntegerIdMixin, TimestampMixin, Base):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("student_id", "course_id", "date", "period_number"),
        # Attendance entry and the daily dashboard read one course on one day.
        Index("ix_attendance_course_id_date", "course_id", "date"),
    )

    # No single-column indexes: the unique constraint leads with student_id and the
    # course-day index with course_id, and they serve those lookups too (revision 0003).
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date, index=True)
    # A native PostgreSQL enum type on purpose: the migration tool must carry one.
    status: Mapped[AttendanceStatus] = mapped_column(
        Enum(
            AttendanceStatus,
            name="attendance_status",
            values_callable=lambda e: [m.value for m in e],
        )
    )
    period_number: Mapped[int] = mapped_column(Integer, default=1)
    notes: Mapped[str | None] = mapped_column(Text)
