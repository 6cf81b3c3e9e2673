from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

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

if TYPE_CHECKING:
    from backend.models.term import Term
    from backend.models.user import User


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
    # Null on a course made with a free-text semester and year only (the API still takes those).
    term_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id", ondelete="RESTRICT"), index=True)
    # Attendance is marked per period; a course with a double lesson has 2.
    periods_per_day: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # Read-only views: teachers are assigned through CourseTeacher rows (services/course_teachers.py).
    term: Mapped[Term | None] = relationship(viewonly=True)
    teachers: Mapped[list[User]] = relationship(
        secondary="course_teachers", viewonly=True, order_by="User.full_name"
    )


class CourseTeacher(Base):
    """A teacher (a user with role teacher or admin) who teaches a course; a course may have several."""

    __tablename__ = "course_teachers"

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    # "My classes" looks a teacher's courses up by user.
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


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
    # A drop keeps the row (status dropped) with when, why and by whom.
    dropped_on: Mapped[date | None] = mapped_column(Date)
    drop_reason: Mapped[str | None] = mapped_column(Text)
    dropped_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
