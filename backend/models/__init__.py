"""Every SMS table, on one ``Base`` (``Base.metadata`` holds them all)."""

from backend.models.attendance import Attendance
from backend.models.audit import AuditLog
from backend.models.base import Base
from backend.models.course import Course, CourseEnrollment, CourseTeacher
from backend.models.enums import AttendanceStatus, EnrollmentStatus, UserRole
from backend.models.grade import Grade
from backend.models.maintenance import MaintenanceMode
from backend.models.performance import DailyPerformance, Highlight
from backend.models.session import LoginThrottle, UserSession
from backend.models.student import Student
from backend.models.term import AcademicYear, Term
from backend.models.user import User

__all__ = [
    "AcademicYear",
    "Attendance",
    "AttendanceStatus",
    "AuditLog",
    "Base",
    "Course",
    "CourseEnrollment",
    "CourseTeacher",
    "DailyPerformance",
    "EnrollmentStatus",
    "Grade",
    "Highlight",
    "LoginThrottle",
    "MaintenanceMode",
    "Student",
    "Term",
    "User",
    "UserRole",
    "UserSession",
]
