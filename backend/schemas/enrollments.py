"""Enrolment from both sides: many students at once, drops kept in history, the class list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from backend.models import EnrollmentStatus
from backend.schemas.common import InputModel, IntId, Name, OutputModel

MAX_BULK = 500


class EnrollmentBulk(InputModel):
    student_ids: Annotated[list[IntId], Field(min_length=1, max_length=MAX_BULK)]


class EnrollmentRefusal(OutputModel):
    student_id: int
    code: str = Field(description="Why: student_not_found, student_inactive, prerequisite_not_passed")
    params: dict[str, Any]


class EnrollmentBulkResult(OutputModel):
    enrolled: int = Field(description="Newly enrolled, dropped students re-enrolled included")
    reenrolled: int = Field(description="Of the enrolled, those who had dropped the course before")
    already_enrolled: int = Field(description="Already active or completed in the course: left as they are")
    refused: int
    enrolled_ids: list[int]
    already_enrolled_ids: list[int]
    refusals: list[EnrollmentRefusal]


class EnrollmentDrop(InputModel):
    dropped_on: date | None = Field(default=None, description="Default: today; not in the future")
    reason: Annotated[Name, Field(max_length=500, description="Why the student left the course")]


class EnrollmentEvent(OutputModel):
    action: Literal["enrolled", "dropped", "reenrolled", "status_changed"]
    at: datetime
    user_email: str | None
    dropped_on: date | None = None
    reason: str | None = None
    status: EnrollmentStatus | None = None


class ClassListEntry(OutputModel):
    """A student of the course with their standing so far."""

    enrollment_id: int
    student_id: int
    student_number: str
    first_name: str
    last_name: str
    study_year: int
    status: EnrollmentStatus
    enrolled_at: datetime
    dropped_on: date | None
    drop_reason: str | None
    final_grade: float | None = Field(description="So far, on the course's scale; null: no grade counts yet")
    max_grade: float
    complete: bool = Field(description="Every component of the course's rules has a grade")
    missing: list[str]
    passed: bool | None = Field(description="null until the final grade is complete")
    standing: Literal["passed", "failed", "incomplete", "no_grades"]
    attendance_rate: float | None = Field(description="Percent of counted lessons attended; null: none yet")
    unexcused_absences: int
