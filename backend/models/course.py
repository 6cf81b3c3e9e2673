from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import (
    Base,
    IntegerIdMixin,
    SoftDeleteMixin,
    TimestampMixin,
    UTCDateTime,
    checked_enum,
    utcnow,
)
from backend.models.enums import EnrollmentStatus


class Course(IntegerIdMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "courses"

    course_code: Mapped[str] = mapped_column(String(50), unique=True)
    course_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    credits: Mapped[int] = mapped_column(Integer, default=3)
    semester: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    teacher_name: Mapped[str | None] = mapped_column(String(200))
    hours_per_week: Mapped[float] = mapped_column(Float, default=3.0)
    absence_penalty: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    max_grade: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("100"))
    passing_grade: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("50"))
    # [{"category": "exam", "weight": 60}, ...]; weights add up to 100.
    evaluation_rules: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    prerequisite_course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL"), index=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class CourseEnrollment(IntegerIdMixin, Base):
    __tablename__ = "course_enrollments"
    __table_args__ = (UniqueConstraint("student_id", "course_id"),)

    # The unique constraint leads with student_id and serves its lookups (revision 0003).
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    status: Mapped[EnrollmentStatus] = mapped_column(
        checked_enum(EnrollmentStatus, name="enrollment_status"), default=EnrollmentStatus.ACTIVE
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
