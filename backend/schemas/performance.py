"""Daily performance and highlight bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from backend.schemas.common import InputModel, IntId, Name, OutputModel, Text, optional
from backend.schemas.students import SchoolDate

Score = Annotated[float, Field(ge=0, le=1_000_000)]
MaxScore = Annotated[float, Field(gt=0, le=1_000_000)]


class PerformanceCreate(InputModel):
    student_id: IntId
    course_id: IntId
    date: SchoolDate
    category: Annotated[Name, Field(max_length=50)]
    max_score: MaxScore = 10.0
    score: Annotated[Score, Field(description="At most max_score")]
    notes: Annotated[Text, Field(max_length=10_000)] | None = None


class PerformanceUpdate(InputModel):
    date: SchoolDate = optional()
    category: Annotated[Name, Field(max_length=50)] = optional()
    max_score: MaxScore = optional()
    score: Score = optional()
    notes: Annotated[Text, Field(max_length=10_000)] | None = None


class PerformanceRead(OutputModel):
    id: int
    student_id: int
    course_id: int
    date: date
    category: str
    score: float
    max_score: float
    notes: str | None
    created_at: datetime
    updated_at: datetime


Rating = Annotated[int, Field(ge=1, le=5)]


class HighlightCreate(InputModel):
    student_id: IntId
    semester: Annotated[Name, Field(max_length=50)]
    category: Annotated[Name, Field(max_length=50)]
    rating: Rating | None = None
    highlight_text: Annotated[Name, Field(max_length=10_000)]
    date_recorded: SchoolDate
    is_positive: bool = True


class HighlightUpdate(InputModel):
    semester: Annotated[Name, Field(max_length=50)] = optional()
    category: Annotated[Name, Field(max_length=50)] = optional()
    rating: Rating | None = None
    highlight_text: Annotated[Name, Field(max_length=10_000)] = optional()
    date_recorded: SchoolDate = optional()
    is_positive: bool = optional()


class HighlightRead(OutputModel):
    id: int
    student_id: int
    semester: str
    category: str
    rating: int | None
    highlight_text: str
    date_recorded: date
    is_positive: bool
    created_at: datetime
    updated_at: datetime
