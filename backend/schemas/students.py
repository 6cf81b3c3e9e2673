"""Student request and response bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field

from backend.schemas.common import InputModel, Name, OutputModel, Text, optional

Email = Annotated[EmailStr, Field(max_length=255), AfterValidator(str.lower)]
SchoolDate = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2200, 12, 31))]


class StudentCreate(InputModel):
    student_id: Annotated[Name, Field(max_length=50, description="The school's own student number")]
    first_name: Annotated[Name, Field(max_length=100)]
    last_name: Annotated[Name, Field(max_length=100)]
    email: Email
    date_of_birth: SchoolDate | None = None
    phone: Annotated[Text, Field(max_length=30)] | None = None
    enrollment_date: SchoolDate
    study_year: Annotated[int, Field(ge=1, le=20)] = 1
    is_active: bool = True
    notes: Annotated[Text, Field(max_length=10_000)] | None = None


class StudentUpdate(InputModel):
    """Only the fields sent change; null is accepted only where the field is optional."""

    student_id: Annotated[Name, Field(max_length=50)] = optional()
    first_name: Annotated[Name, Field(max_length=100)] = optional()
    last_name: Annotated[Name, Field(max_length=100)] = optional()
    email: Email = optional()
    date_of_birth: SchoolDate | None = None
    phone: Annotated[Text, Field(max_length=30)] | None = None
    enrollment_date: SchoolDate = optional()
    study_year: Annotated[int, Field(ge=1, le=20)] = optional()
    is_active: bool = optional()
    notes: Annotated[Text, Field(max_length=10_000)] | None = None


class StudentRead(OutputModel):
    id: int
    student_id: str
    first_name: str
    last_name: str
    email: str
    date_of_birth: date | None
    phone: str | None
    enrollment_date: date
    study_year: int
    is_active: bool
    notes: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
