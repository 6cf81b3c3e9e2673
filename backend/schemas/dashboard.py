"""Dashboard summary and student export bodies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

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


class DashboardSummary(BaseModel):
    students: int
    courses: int
    enrollments: int
    attendance_today: AttendanceToday
    at_risk_students: list[AtRiskStudent]


class ExportedEnrollment(EnrollmentRead):
    course_code: str
    course_name: str


class StudentExport(BaseModel):
    exported_at: datetime
    student: StudentRead
    enrollments: list[ExportedEnrollment]
    grades: list[GradeRead]
    attendance: list[AttendanceRead]
