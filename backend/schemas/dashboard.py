"""Dashboard summary and student export bodies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from backend.schemas.attendance import AttendanceRead
from backend.schemas.courses import EnrollmentRead
from backend.schemas.grades import GradeRead
from backend.schemas.students import StudentRead


class AttendanceToday(BaseModel):
    present: int
    absent: int
    late: int
    excused: int


class AtRiskStudent(BaseModel):
    student_id: int
    student_number: str
    name: str
    course_id: int
    course_code: str
    attendance_rate: float


class DashboardTerm(BaseModel):
    id: int
    name: str


class DashboardSummary(BaseModel):
    term: DashboardTerm | None = Field(description="The term the figures cover; null: every course")
    students: int = Field(description="Live students of the school")
    courses: int = Field(description="Live courses of the term")
    enrollments: int = Field(description="Active enrollments in the term's courses")
    attendance_today: AttendanceToday
    at_risk_count: int = Field(description="Exact number of at-risk student-course pairs")
    at_risk_students: list[AtRiskStudent] = Field(
        description="The worst few at-risk pairs; GET /api/v1/dashboard/at-risk pages through all"
    )


class ExportedEnrollment(EnrollmentRead):
    course_code: str
    course_name: str


class StudentExport(BaseModel):
    exported_at: datetime
    student: StudentRead
    enrollments: list[ExportedEnrollment]
    grades: list[GradeRead]
    attendance: list[AttendanceRead]
