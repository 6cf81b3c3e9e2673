"""Grades: checked against the course's scale and categories, entered one by one or per assignment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Course, Grade
from backend.services import audit, crud
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import FieldInvalid, RuleViolation
from backend.services.records import (
    RecordFilter,
    enrolled_ids,
    filtered,
    live_course,
    live_student,
    require_enrolled,
)

SORTS = {
    "id": Grade.id,
    "assignment_name": Grade.assignment_name,
    "category": Grade.category,
    "grade": Grade.grade,
    "date_assigned": Grade.date_assigned,
    "created_at": Grade.created_at,
}


def list_grades(*, session: Session, query: ListQuery, filters: RecordFilter) -> PageResult:
    """List grades, filtered by student, course, category or assignment date."""
    stmt = filtered(model=Grade, dated=Grade.date_assigned, filters=filters)
    return crud.list_rows(
        session=session,
        stmt=stmt,
        query=query,
        search=(Grade.assignment_name, Grade.category),
        sort_columns=SORTS,
        default_sort="id",
        tiebreak=Grade.id,
    )


def get_grade(*, session: Session, grade_id: int) -> Grade:
    """Return one grade."""
    return crud.get_row(session=session, model=Grade, row_id=grade_id, label="Grade")


def check_category(course: Course, category: str) -> None:
    """A course with evaluation rules only takes grades in its rules' categories."""
    if not course.evaluation_rules:
        return
    names = [str(rule["category"]) for rule in course.evaluation_rules]
    if category.strip().lower() not in {name.lower() for name in names}:
        raise FieldInvalid(
            f"category {category!r} is not in {course.course_code}'s evaluation rules: use one of "
            f"{', '.join(names)}",
            field="category",
        )


def check_scale(grade: Decimal, max_grade: Decimal, field: str = "grade") -> None:
    if Decimal(grade) > Decimal(max_grade):
        raise FieldInvalid(
            f"grade {grade} is above max_grade {max_grade}: lower it or raise max_grade", field=field
        )


def create_grade(*, session: Session, actor: Actor, data: dict[str, Any]) -> Grade:
    """Record one grade for an enrolled student."""
    student = live_student(session=session, student_id=data["student_id"], field="student_id")
    course = live_course(session=session, course_id=data["course_id"], field="course_id")
    check_scale(data["grade"], data["max_grade"])
    check_category(course, data["category"])
    require_enrolled(session=session, student=student, course=course)
    return crud.create_row(session=session, actor=actor, row=Grade(**data), entity_type="grade")


def update_grade(*, session: Session, actor: Actor, grade_id: int, data: dict[str, Any]) -> Grade:
    """Change the given fields of a grade."""
    row = get_grade(session=session, grade_id=grade_id)
    check_scale(data.get("grade", row.grade), data.get("max_grade", row.max_grade))
    if "category" in data:
        check_category(live_course(session=session, course_id=row.course_id), data["category"])
    return crud.update_row(session=session, actor=actor, row=row, values=data, entity_type="grade")


def delete_grade(*, session: Session, actor: Actor, grade_id: int) -> None:
    """Remove a grade."""
    crud.delete_row(
        session=session, actor=actor, row=get_grade(session=session, grade_id=grade_id), entity_type="grade"
    )


def bulk_grades(
    *,
    session: Session,
    actor: Actor,
    course_id: int,
    assignment_name: str,
    category: str,
    max_grade: Decimal,
    date_assigned: date | None,
    grades: list[tuple[int, Decimal]],
) -> tuple[int, int, list[Grade]]:
    """Create or update one assignment's grade for each listed student; one audit row."""
    course = live_course(session=session, course_id=course_id, field="course_id", lock=True)
    check_category(course, category)
    student_ids = [student_id for student_id, _ in grades]
    if len(set(student_ids)) != len(student_ids):
        raise FieldInvalid("a student appears twice: list each student once", field="grades")
    for index, (_, value) in enumerate(grades):
        check_scale(value, max_grade, field=f"grades.{index}.grade")
    enrolled = enrolled_ids(session=session, course_id=course_id, student_ids=student_ids)
    for index, student_id in enumerate(student_ids):
        if student_id not in enrolled:
            raise RuleViolation(
                f"Student {student_id} is not enrolled in {course.course_code}: enroll them first",
                field=f"grades.{index}.student_id",
            )
    existing = {
        row.student_id: row
        for row in session.scalars(
            select(Grade).where(
                Grade.course_id == course_id,
                Grade.assignment_name == assignment_name,
                Grade.student_id.in_(student_ids),
            )
        )
    }
    created, updated, rows, changed = 0, 0, [], []
    for student_id, value in grades:
        row = existing.get(student_id)
        if row is None:
            row = Grade(
                student_id=student_id,
                course_id=course_id,
                assignment_name=assignment_name,
                category=category,
                grade=value,
                max_grade=max_grade,
                date_assigned=date_assigned,
            )
            session.add(row)
            created += 1
        else:
            changed.append({"student_id": student_id, "before": audit.jsonable(row.grade), "after": value})
            row.grade, row.max_grade, row.category = value, max_grade, category
            row.date_assigned = date_assigned
            updated += 1
        rows.append(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="bulk_upsert",
        entity_type="grade",
        entity_id=f"course:{course_id}",
        details={
            "course_id": course_id,
            "assignment_name": assignment_name,
            "created": [row.id for row in rows if row.student_id not in existing],
            "updated": changed,
        },
    )
    return created, updated, rows
