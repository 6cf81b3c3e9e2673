"""The final grade of a student in a course, from the course's evaluation rules.

Each rule is a component: the weighted mean percent of the student's grades in that
category (a grade's ``weight`` weighs it within the category) times the rule's weight.
The components add up to a 0-100 total, which is put on the course's scale (max_grade);
then ``absence_penalty`` points are taken off per unexcused absence, never below zero.
A course without rules has one component, "overall", over all its grades.

A component with no grades yet is *missing*, not 0: the result is incomplete (``complete``
false, the missing categories named, ``passed`` null), so a student who has not sat the
final exam is never "passed" and never "failed" on a zero they did not earn. A student with
no counted grade at all has no final grade (null). Grades in a category the rules do not
name do not count; they are listed as ``uncounted_categories`` so nobody loses them silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Attendance, AttendanceStatus, Course, Grade, Student

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
OVERALL = "overall"
Standing = Literal["passed", "failed", "incomplete", "no_grades"]


@dataclass(frozen=True)
class Component:
    category: str
    weight: float
    average_percent: float | None
    contribution: float | None
    grades: int
    missing: bool


@dataclass(frozen=True)
class FinalGradeResult:
    student_id: int
    course_id: int
    components: list[Component]
    unexcused_absences: int
    absence_penalty: float
    final_grade: float | None
    max_grade: float
    passing_grade: float
    complete: bool
    missing: list[str]
    uncounted_categories: list[str]
    passed: bool | None
    status: Standing


def _cents(value: Decimal) -> float:
    return float(value.quantize(CENT, ROUND_HALF_UP))


def _mean_percent(grades: Sequence[Grade]) -> Decimal | None:
    counted = [g for g in grades if g.max_grade and g.max_grade > 0 and g.weight > 0]
    if not counted:
        return None
    weights = sum((Decimal(str(g.weight)) for g in counted), Decimal(0))
    points = sum(
        (Decimal(g.grade) / Decimal(g.max_grade) * HUNDRED * Decimal(str(g.weight)) for g in counted),
        Decimal(0),
    )
    return points / weights


def _key(category: str) -> str:
    return category.strip().lower()


def compute(*, course: Course, student_id: int, grades: Sequence[Grade], absences: int) -> FinalGradeResult:
    """The final grade from the student's grades in the course and unexcused absences (no I/O)."""
    rules = course.evaluation_rules or [{"category": OVERALL, "weight": 100}]
    by_category: dict[str, list[Grade]] = defaultdict(list)
    for grade in grades:
        by_category[_key(grade.category)].append(grade)

    components: list[Component] = []
    total = Decimal(0)
    for rule in rules:
        category, weight = str(rule["category"]), Decimal(str(rule["weight"]))
        members = list(grades) if not course.evaluation_rules else by_category.get(_key(category), [])
        mean = _mean_percent(members)
        contribution = None if mean is None else mean * weight / HUNDRED
        total += contribution or Decimal(0)
        components.append(
            Component(
                category=category,
                weight=float(weight),
                average_percent=None if mean is None else _cents(mean),
                contribution=None if contribution is None else _cents(contribution),
                grades=len(members),
                missing=mean is None,
            )
        )
    ruled = {_key(str(rule["category"])) for rule in rules}
    uncounted = (
        sorted({g.category for g in grades if _key(g.category) not in ruled})
        if course.evaluation_rules
        else []
    )
    missing = [c.category for c in components if c.missing]
    # A rule of weight 0 adds nothing either way; it never holds a result back.
    blocking = [c for c in components if c.missing and c.weight > 0]
    penalty = Decimal(course.absence_penalty) * absences
    final: Decimal | None = None
    if len(missing) < len(components):
        final = max(Decimal(0), total / HUNDRED * Decimal(course.max_grade) - penalty).quantize(
            CENT, ROUND_HALF_UP
        )
    passed: bool | None = None
    status: Standing = "no_grades" if final is None else "incomplete"
    if final is not None and not blocking:
        passed = final >= Decimal(course.passing_grade)
        status = "passed" if passed else "failed"
    return FinalGradeResult(
        student_id=student_id,
        course_id=course.id,
        components=components,
        unexcused_absences=absences,
        absence_penalty=_cents(penalty),
        final_grade=None if final is None else float(final),
        max_grade=float(course.max_grade),
        passing_grade=float(course.passing_grade),
        complete=not blocking and final is not None,
        missing=missing,
        uncounted_categories=uncounted,
        passed=passed,
        status=status,
    )


def absence_counts(*, session: Session, course_id: int, student_ids: Iterable[int]) -> dict[int, int]:
    """Unexcused absences per student in the course (students with none are left out)."""
    stmt = (
        select(Attendance.student_id, func.count())
        .where(
            Attendance.course_id == course_id,
            Attendance.student_id.in_(list(student_ids)),
            Attendance.status == AttendanceStatus.ABSENT,
        )
        .group_by(Attendance.student_id)
    )
    return {student_id: count for student_id, count in session.execute(stmt)}


def final_grades(
    *, session: Session, course: Course, student_ids: Sequence[int]
) -> dict[int, FinalGradeResult]:
    """Each listed student's final grade in the course, in two queries whatever their number."""
    grades: dict[int, list[Grade]] = {student_id: [] for student_id in student_ids}
    stmt = select(Grade).where(Grade.course_id == course.id, Grade.student_id.in_(list(student_ids)))
    for grade in session.scalars(stmt):
        grades[grade.student_id].append(grade)
    absences = absence_counts(session=session, course_id=course.id, student_ids=student_ids)
    return {
        student_id: compute(
            course=course, student_id=student_id, grades=rows, absences=absences.get(student_id, 0)
        )
        for student_id, rows in grades.items()
    }


def final_grade(*, session: Session, student: Student, course: Course) -> FinalGradeResult:
    """Compute the student's final grade in the course, on the course's scale."""
    return final_grades(session=session, course=course, student_ids=[student.id])[student.id]
