"""Course, enrollment and final-grade bodies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from backend.models import EnrollmentStatus
from backend.schemas.common import InputModel, IntId, Name, OutputModel, Text, optional
from backend.schemas.terms import TeacherRead, TermRead

GradeValue = Annotated[Decimal, Field(ge=0, le=Decimal("9999.99"), decimal_places=2)]
MaxGrade = Annotated[Decimal, Field(gt=0, le=Decimal("9999.99"), decimal_places=2)]
Penalty = Annotated[Decimal, Field(ge=0, le=Decimal("999.99"), decimal_places=2)]
WEIGHT_TOLERANCE = 0.01


class EvaluationRule(InputModel):
    category: Annotated[Name, Field(max_length=50, description="Grade category, e.g. exam")]
    weight: Annotated[float, Field(ge=0, le=100, description="Share of the final grade, in percent")]


def check_rules(rules: list[EvaluationRule]) -> list[EvaluationRule]:
    names = [rule.category.lower() for rule in rules]
    if len(set(names)) != len(names):
        raise ValueError("each category may appear only once")
    total = sum(rule.weight for rule in rules)
    if abs(total - 100) > WEIGHT_TOLERANCE:
        raise ValueError(f"the weights add up to {total:g}, not 100: adjust them so they total 100")
    return rules


Rules = Annotated[list[EvaluationRule], Field(max_length=20), AfterValidator(check_rules)]
PeriodsPerDay = Annotated[
    int, Field(ge=1, le=12, description="Attendance periods a day (2 for a double lesson)")
]
TermId = Annotated[IntId, Field(description="The course's term; its semester and year then follow the term")]


class CourseCreate(InputModel):
    course_code: Annotated[Name, Field(max_length=50)]
    course_name: Annotated[Name, Field(max_length=200)]
    description: Annotated[Text, Field(max_length=10_000)] | None = None
    credits: Annotated[int, Field(ge=0, le=60)] = 3
    term_id: TermId | None = None
    # Needed only without a term_id (courses made before terms existed).
    semester: Annotated[Name, Field(max_length=50)] | None = None
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    periods_per_day: PeriodsPerDay = 1
    teacher_name: Annotated[Text, Field(max_length=200)] | None = None
    hours_per_week: Annotated[float, Field(ge=0, le=168)] = 3.0
    absence_penalty: Annotated[Penalty, Field(description="Points off per unexcused absence")] = Decimal(0)
    max_grade: MaxGrade = Decimal(100)
    passing_grade: GradeValue = Decimal(50)
    evaluation_rules: Rules | None = None
    prerequisite_course_id: IntId | None = None
    is_active: bool = True


class CourseUpdate(InputModel):
    course_code: Annotated[Name, Field(max_length=50)] = optional()
    course_name: Annotated[Name, Field(max_length=200)] = optional()
    description: Annotated[Text, Field(max_length=10_000)] | None = None
    credits: Annotated[int, Field(ge=0, le=60)] = optional()
    term_id: TermId = optional()
    periods_per_day: PeriodsPerDay = optional()
    semester: Annotated[Name, Field(max_length=50)] = optional()
    year: Annotated[int, Field(ge=1900, le=2200)] = optional()
    teacher_name: Annotated[Text, Field(max_length=200)] | None = None
    hours_per_week: Annotated[float, Field(ge=0, le=168)] = optional()
    absence_penalty: Penalty = optional()
    max_grade: MaxGrade = optional()
    passing_grade: GradeValue = optional()
    evaluation_rules: Rules | None = None
    prerequisite_course_id: IntId | None = None
    is_active: bool = optional()


class EvaluationRuleRead(OutputModel):
    category: str
    weight: float


class CourseRead(OutputModel):
    id: int
    course_code: str
    course_name: str
    description: str | None
    credits: int
    term_id: int | None
    term: TermRead | None
    semester: str
    year: int
    periods_per_day: int
    teachers: list[TeacherRead]
    teacher_name: str | None
    hours_per_week: float
    absence_penalty: float
    max_grade: float
    passing_grade: float
    evaluation_rules: list[EvaluationRuleRead] | None
    prerequisite_course_id: int | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class EnrollmentCreate(InputModel):
    student_id: IntId
    course_id: IntId
    status: EnrollmentStatus = EnrollmentStatus.ACTIVE


class EnrollmentUpdate(InputModel):
    status: EnrollmentStatus


class EnrollmentRead(OutputModel):
    id: int
    student_id: int
    course_id: int
    status: EnrollmentStatus
    enrolled_at: datetime
    # The last drop, kept when the student is enrolled again (status says which holds now).
    dropped_on: date | None = None
    drop_reason: str | None = None
    dropped_by_user_id: int | None = None


class PurgeReport(OutputModel):
    entity_type: str
    id: int
    deleted: dict[str, int] = Field(description="Rows removed per table, the record itself included")
