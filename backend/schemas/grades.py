"""Grade bodies, including the grade-entry page's bulk post."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from backend.schemas.common import BigId, InputModel, IntId, Name, OutputModel, Text, optional
from backend.schemas.courses import GradeValue, MaxGrade
from backend.schemas.students import SchoolDate

Weight = Annotated[float, Field(gt=0, le=100, description="Weight within its category")]


class GradeCreate(InputModel):
    student_id: IntId
    course_id: IntId
    assignment_name: Annotated[Name, Field(max_length=200)]
    category: Annotated[Name, Field(max_length=50)]
    max_grade: MaxGrade = Decimal(100)
    grade: Annotated[GradeValue, Field(description="At most max_grade")]
    weight: Weight = 1.0
    date_assigned: SchoolDate | None = None
    date_submitted: SchoolDate | None = None
    notes: Annotated[Text, Field(max_length=10_000)] | None = None


class GradeUpdate(InputModel):
    assignment_name: Annotated[Name, Field(max_length=200)] = optional()
    category: Annotated[Name, Field(max_length=50)] = optional()
    max_grade: MaxGrade = optional()
    grade: GradeValue = optional()
    weight: Weight = optional()
    date_assigned: SchoolDate | None = None
    date_submitted: SchoolDate | None = None
    notes: Annotated[Text, Field(max_length=10_000)] | None = None


class GradeRead(OutputModel):
    id: int
    student_id: int
    course_id: int
    assignment_name: str
    category: str
    grade: float
    max_grade: float
    weight: float
    date_assigned: date | None
    date_submitted: date | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class GradeEntry(InputModel):
    student_id: IntId
    grade: GradeValue


class GradeBulk(InputModel):
    """One assignment for many students; posting it again updates the same assignment."""

    course_id: IntId
    assignment_name: Annotated[Name, Field(max_length=200)]
    category: Annotated[Name, Field(max_length=50)]
    max_grade: MaxGrade = Decimal(100)
    date_assigned: SchoolDate | None = None
    grades: Annotated[list[GradeEntry], Field(min_length=1, max_length=1000)]


class GradeBulkResult(OutputModel):
    created: int
    updated: int
    items: list[GradeRead]


GradeId = BigId
