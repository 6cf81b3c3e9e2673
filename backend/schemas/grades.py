"""Grade bodies, including the grade-entry page's bulk post."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from backend.schemas.common import BigId, InputModel, IntId, Name, OutputModel, Text, optional
from backend.schemas.courses import MaxGrade
from backend.schemas.students import SchoolDate

Weight = Annotated[float, Field(gt=0, le=100, description="Weight within its category")]
# Any number with two decimals: its range (0..max_grade) is the grade rules' to check, so a
# negative grade is the same coded ``grade_out_of_range`` as one above the maximum.
Score = Annotated[Decimal, Field(decimal_places=2, description="From 0 to the grade's max_grade")]
CourseScale = Annotated[MaxGrade | None, Field(description="Default: the course's max_grade")]


class GradeCreate(InputModel):
    student_id: IntId
    course_id: IntId
    assignment_name: Annotated[Name, Field(max_length=200)]
    category: Annotated[Name, Field(max_length=50)]
    max_grade: CourseScale = None
    grade: Score
    weight: Weight = 1.0
    date_assigned: SchoolDate | None = None
    date_submitted: SchoolDate | None = None
    notes: Annotated[Text, Field(max_length=10_000)] | None = None


class GradeUpdate(InputModel):
    assignment_name: Annotated[Name, Field(max_length=200)] = optional()
    category: Annotated[Name, Field(max_length=50)] = optional()
    max_grade: MaxGrade = optional()
    grade: Score = optional()
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
    grade: Score


class GradeBulk(InputModel):
    """One assignment for many students; posting it again updates the same assignment."""

    course_id: IntId
    assignment_name: Annotated[Name, Field(max_length=200)]
    category: Annotated[Name, Field(max_length=50)]
    max_grade: CourseScale = None
    date_assigned: SchoolDate | None = None
    grades: Annotated[list[GradeEntry], Field(min_length=1, max_length=1000)]


class GradeBulkResult(OutputModel):
    created: int
    updated: int
    items: list[GradeRead]


GradeId = BigId


class GradeComponent(OutputModel):
    category: str
    weight: float = Field(description="Share of the final grade, in percent")
    average_percent: float | None = Field(description="Mean percent of the category's grades; null: none yet")
    contribution: float | None = Field(description="Points of the 0-100 total it adds; null: missing")
    grades: int = Field(description="How many grades the component holds")
    missing: bool = Field(description="No grade yet: the final grade waits for it (never counted as 0)")


class FinalGrade(OutputModel):
    """A final grade so far: complete only when every component of the course's rules has grades."""

    student_id: int
    course_id: int
    components: list[GradeComponent]
    unexcused_absences: int
    absence_penalty: float = Field(description="Points taken off the final grade for unexcused absences")
    final_grade: float | None = Field(description="On the course's scale; null when no grade counts yet")
    max_grade: float
    passing_grade: float
    complete: bool = Field(description="Every weighted component has at least one grade")
    missing: list[str] = Field(description="Categories of the rules with no grade yet")
    uncounted_categories: list[str] = Field(description="Categories of grades no rule counts")
    passed: bool | None = Field(description="null until the final grade is complete")
    status: Literal["passed", "failed", "incomplete", "no_grades"]
