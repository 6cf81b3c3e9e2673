"""Grades: checked against the course's scale and categories, entered one by one or per assignment."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from backend.models import Course, Grade
from backend.schemas.grades import GradeBulk, GradeCreate, GradeUpdate
from backend.services import bulk, crud
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.errors import FieldInvalid
from backend.services.records import RecordFilter, filtered, live_course, live_student, require_enrolled

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


def create_grade(*, session: Session, actor: Actor, data: GradeCreate) -> Grade:
    """Record one grade for an enrolled student."""
    student = live_student(session=session, student_id=data.student_id, field="student_id")
    course = live_course(session=session, course_id=data.course_id, field="course_id")
    check_scale(data.grade, data.max_grade)
    check_category(course, data.category)
    require_enrolled(session=session, student=student, course=course)
    return crud.create_row(session=session, actor=actor, row=Grade(**data.model_dump()), entity_type="grade")


def update_grade(*, session: Session, actor: Actor, grade_id: int, changes: GradeUpdate) -> Grade:
    """Change the given fields of a grade."""
    row = get_grade(session=session, grade_id=grade_id)
    # An update field that was not sent is None (a sent null is refused where a value is needed).
    grade = row.grade if changes.grade is None else changes.grade
    check_scale(grade, row.max_grade if changes.max_grade is None else changes.max_grade)
    if changes.category is not None:
        check_category(live_course(session=session, course_id=row.course_id), changes.category)
    return crud.update_row(
        session=session, actor=actor, row=row, values=crud.sent(changes), entity_type="grade"
    )


def delete_grade(*, session: Session, actor: Actor, grade_id: int) -> None:
    """Remove a grade."""
    crud.delete_row(
        session=session, actor=actor, row=get_grade(session=session, grade_id=grade_id), entity_type="grade"
    )


def bulk_grades(*, session: Session, actor: Actor, data: GradeBulk) -> tuple[int, int, list[Grade]]:
    """Create or update one assignment's grade for each listed student; one audit row."""
    course = bulk.locked_course(session=session, course_id=data.course_id)
    check_category(course, data.category)
    student_ids = [entry.student_id for entry in data.grades]
    bulk.distinct_students(student_ids, field="grades")
    for index, entry in enumerate(data.grades):
        check_scale(entry.grade, data.max_grade, field=f"grades.{index}.grade")
    bulk.all_enrolled(session=session, course=course, student_ids=student_ids, field="grades")
    result = bulk.upsert_per_student(
        session=session,
        model=Grade,
        key={"course_id": data.course_id, "assignment_name": data.assignment_name},
        values={
            entry.student_id: {
                "grade": entry.grade,
                "max_grade": data.max_grade,
                "category": data.category,
                "date_assigned": data.date_assigned,
            }
            for entry in data.grades
        },
        tracked="grade",
    )
    created = [row.id for row in result.created]
    entity_id = f"course:{data.course_id}"
    bulk.audit_upsert(
        session=session, actor=actor, result=result, entity_type="grade", entity_id=entity_id, created=created
    )
    return len(result.created), len(result.updated), result.rows
