"""What a grade must satisfy: on its scale (0..max), in a category the course's rules count.

Every refusal is a 422 with a stable code and the values the web app words it from, so a
grid can flag 120/100 and -5 alike before anything is saved, in either language.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from backend.models import Course
from backend.services.errors import FieldInvalid, FieldsInvalid
from backend.services.records import enrolled_ids

MIN_GRADE = Decimal(0)


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def allowed_categories(course: Course) -> list[str] | None:
    """The categories the course's rules count, or None when it has no rules (any category)."""
    if not course.evaluation_rules:
        return None
    return [str(rule["category"]) for rule in course.evaluation_rules]


def category_problem(course: Course, category: str, *, field: str = "category") -> FieldInvalid | None:
    """A grade in a category no rule counts would be silently left out of the final grade."""
    allowed = allowed_categories(course)
    if allowed is None or category.strip().lower() in {name.lower() for name in allowed}:
        return None
    return FieldInvalid(
        f"category {category!r} is not in {course.course_code}'s evaluation rules: use one of "
        f"{', '.join(allowed)}",
        field=field,
        code="grade_category_not_in_rules",
        params={"category": category, "allowed": allowed},
    )


def canonical_category(course: Course, category: str) -> str:
    """The rule's own spelling of the category ("Exam" is stored as the rule's "exam")."""
    for name in allowed_categories(course) or []:
        if name.lower() == category.strip().lower():
            return name
    return category


def scale_problem(grade: Decimal, max_grade: Decimal, *, field: str = "grade") -> FieldInvalid | None:
    """A grade below 0 or above its maximum (exactly 0 and exactly max are fine)."""
    if MIN_GRADE <= Decimal(grade) <= Decimal(max_grade):
        return None
    return FieldInvalid(
        f"grade {grade} is outside 0..{max_grade}: enter a value from 0 to {max_grade}",
        field=field,
        code="grade_out_of_range",
        params={"value": _number(Decimal(grade)), "min": 0, "max": _number(Decimal(max_grade))},
    )


def refuse(*problems: FieldInvalid | None) -> None:
    """Raise every problem found at once (one 422 listing them), or nothing."""
    found = [problem for problem in problems if problem is not None]
    if len(found) == 1:
        raise found[0]
    if found:
        raise FieldsInvalid(found)


def not_enrolled(course: Course, student_id: int, *, field: str, row: int | None = None) -> FieldInvalid:
    params: dict[str, object] = {"student_id": student_id, "course": course.course_code}
    if row is not None:
        params["row"] = row
    return FieldInvalid(
        f"student {student_id} is not enrolled in {course.course_code}: enroll them first",
        field=field,
        code="student_not_enrolled",
        params=params,
    )


def enrolment_problem(*, session: Session, course: Course, student_id: int) -> FieldInvalid | None:
    """A grade only for a student enrolled in the course (a dropped one keeps their old grades)."""
    if enrolled_ids(session=session, course_id=course.id, student_ids=[student_id]):
        return None
    return not_enrolled(course, student_id, field="student_id")


def row_problems(
    *,
    session: Session,
    course: Course,
    student_ids: Sequence[int],
    grades: Sequence[Decimal],
    max_grade: Decimal,
) -> list[FieldInvalid]:
    """Every wrong row of a bulk post (repeated, not enrolled, off the scale), each named by index."""
    enrolled = enrolled_ids(session=session, course_id=course.id, student_ids=list(student_ids))
    seen: set[int] = set()
    problems: list[FieldInvalid] = []
    for index, (student_id, grade) in enumerate(zip(student_ids, grades, strict=True)):
        field = f"grades.{index}"
        if student_id in seen:
            problems.append(
                FieldInvalid(
                    f"student {student_id} appears twice: list each student once",
                    field=f"{field}.student_id",
                    code="duplicate_student",
                    params={"student_id": student_id, "row": index},
                )
            )
        elif student_id not in enrolled:
            problems.append(not_enrolled(course, student_id, field=f"{field}.student_id", row=index))
        seen.add(student_id)
        problem = scale_problem(grade, max_grade, field=f"{field}.grade")
        if problem is not None:
            problems.append(problem)
    return problems
