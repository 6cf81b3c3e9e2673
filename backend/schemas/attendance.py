"""Attendance bodies: single records, the attendance page's course-day post, the summary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from backend.models import AttendanceStatus
from backend.schemas.common import InputModel, IntId, OutputModel, Text, optional
from backend.schemas.students import SchoolDate

Period = Annotated[int, Field(ge=1, le=24, description="Lesson period of the day")]
Notes = Annotated[Text, Field(max_length=2000)]


class AttendanceCreate(InputModel):
    student_id: IntId
    course_id: IntId
    date: SchoolDate
    status: AttendanceStatus
    period_number: Period = 1
    notes: Notes | None = None


class AttendanceUpdate(InputModel):
    date: SchoolDate = optional()
    status: AttendanceStatus = optional()
    period_number: Period = optional()
    notes: Notes | None = None


class AttendanceRead(OutputModel):
    id: int
    student_id: int
    course_id: int
    date: date
    status: AttendanceStatus
    period_number: int
    notes: str | None
    created_at: datetime
    updated_at: datetime


class AttendanceMark(InputModel):
    student_id: IntId
    status: AttendanceStatus
    notes: Notes | None = None


class AttendanceBulk(InputModel):
    """One course, one day, one period: every mark is created or replaced."""

    course_id: IntId
    date: SchoolDate
    period_number: Period = 1
    records: Annotated[list[AttendanceMark], Field(min_length=1, max_length=1000)]


class AttendanceBulkResult(OutputModel):
    created: int
    updated: int
    items: list[AttendanceRead]


class AttendanceSummary(OutputModel):
    student_id: int
    course_id: int | None
    present: int
    absent: int
    late: int
    excused: int
    total: int
    attendance_rate: float | None = Field(
        description="(present + late) / (total - excused) in percent; null when nothing counts yet"
    )
    threshold: float
    at_risk: bool = Field(description="attendance_rate is below threshold")
