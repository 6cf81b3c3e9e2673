"""Academic years, terms, course teachers, "my classes" and year-end bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from backend.schemas.common import InputModel, IntId, Name, OutputModel, optional

TermName = Annotated[Name, Field(max_length=50)]


class AcademicYearCreate(InputModel):
    name: Annotated[TermName, Field(description='e.g. "2026-2027"')]
    starts_on: date
    ends_on: date


class AcademicYearUpdate(InputModel):
    name: TermName = optional()
    starts_on: date = optional()
    ends_on: date = optional()


class AcademicYearRead(OutputModel):
    id: int
    name: str
    starts_on: date
    ends_on: date
    is_current: bool
    year_end_applied_at: datetime | None


class TermCreate(InputModel):
    academic_year_id: IntId
    name: Annotated[TermName, Field(description='e.g. "Fall"')]
    starts_on: date
    ends_on: date


class TermUpdate(AcademicYearUpdate):
    """A term's changes are a year's: its name and dates."""


class TermRead(OutputModel):
    id: int
    academic_year_id: int
    academic_year_name: str
    name: str
    starts_on: date
    ends_on: date
    is_current: bool


class TeacherRead(OutputModel):
    id: int
    full_name: str
    email: str


class CourseTeachersSet(InputModel):
    user_ids: Annotated[list[IntId], Field(max_length=20, description="Every teacher of the course")]


class MyClass(OutputModel):
    id: int
    course_code: str
    course_name: str
    term_id: int | None
    periods_per_day: int
    teachers: list[TeacherRead]
    active_students: int


class MyClasses(OutputModel):
    term: TermRead | None = Field(description="The current term; null when none is set")
    items: list[MyClass]


class YearEndRequest(InputModel):
    academic_year_id: IntId
    top_year: Annotated[int, Field(ge=1, le=20, description="The last study year; its students graduate")]


class YearEndMove(OutputModel):
    from_year: int
    to_year: int | None = Field(description="null: the students graduate and become inactive")
    students: int


class YearEndPreview(OutputModel):
    academic_year_id: int
    academic_year_name: str
    top_year: int
    moves: list[YearEndMove]
    promoted: int
    graduated: int
    applied_at: datetime | None
