"""The final grade of a student in a course, from the course's evaluation rules.

Each rule is a component: the weighted mean percent of the student's grades in that
category (a grade's ``weight`` weighs it within the category) times the rule's weight.
The components add up to a 0-100 total, which is put on the course's scale (max_grade);
then ``absence_penalty`` points are taken off per unexcused absence, never below zero.
A component with no grades yet contributes nothing. Grades whose category has no rule do
not count. A course without rules has one component, "overall", over all its grades.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Attendance, AttendanceStatus, Course, Grade, Student

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
OVERALL = "overall"


@dataclass(frozen=True)
class Component:
    category: str
    weight: float
    average_percent: float | None
    contribution: float


@dataclass(frozen=True)
class FinalGradeResult:
    student_id: int
    course_id: int
    components: list[Component]
    unexcused_absences: int
    absence_penalty: float
    final_grade: float
    max_grade: float
    passing_grade: float
    passed: bool


def _mean_percent(grades: list[Grade]) -> Decimal | None:
    counted = [g for g in grades if g.max_grade and g.max_grade > 0 and g.weight > 0]
    if not counted:
        return None
    weights = sum((Decimal(str(g.weight)) for g in counted), Decimal(0))
    points = sum(
        (Decimal(g.grade) / Decimal(g.max_grade) * HUNDRED * Decimal(str(g.weight)) for g in counted),
        Decimal(0),
    )
    return points / weights


def unexcused_absences(*, session: Session, student_id: int, course_id: int) -> int:
    stmt = select(func.count()).where(
        Attendance.student_id == student_id,
        Attendance.course_id == course_id,
        Attendance.status == AttendanceStatus.ABSENT,
    )
    return session.scalar(stmt) or 0


def final_grade(*, session: Session, student: Student, course: Course) -> FinalGradeResult:
    """Compute the student's final grade in the course, on the course's scale."""
    grades = list(
        session.scalars(select(Grade).where(Grade.student_id == student.id, Grade.course_id == course.id))
    )
    by_category: dict[str, list[Grade]] = defaultdict(list)
    for grade in grades:
        by_category[grade.category.strip().lower()].append(grade)
    rules = course.evaluation_rules or [{"category": OVERALL, "weight": 100}]

    components: list[Component] = []
    total = Decimal(0)
    for rule in rules:
        category, weight = str(rule["category"]), Decimal(str(rule["weight"]))
        members = grades if not course.evaluation_rules else by_category.get(category.strip().lower(), [])
        mean = _mean_percent(members)
        contribution = (mean or Decimal(0)) * weight / HUNDRED
        total += contribution
        components.append(
            Component(
                category=category,
                weight=float(weight),
                average_percent=None if mean is None else float(mean.quantize(CENT, ROUND_HALF_UP)),
                contribution=float(contribution.quantize(CENT, ROUND_HALF_UP)),
            )
        )

    absences = unexcused_absences(session=session, student_id=student.id, course_id=course.id)
    penalty = Decimal(course.absence_penalty) * absences
    scaled = total / HUNDRED * Decimal(course.max_grade)
    final = max(Decimal(0), scaled - penalty).quantize(CENT, ROUND_HALF_UP)
    return FinalGradeResult(
        student_id=student.id,
        course_id=course.id,
        components=components,
        unexcused_absences=absences,
        absence_penalty=float(penalty.quantize(CENT, ROUND_HALF_UP)),
        final_grade=float(final),
        max_grade=float(course.max_grade),
        passing_grade=float(course.passing_grade),
        passed=final >= Decimal(course.passing_grade),
    )
