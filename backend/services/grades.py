"""Grades: checked against the course's scale and categories, entered one by one or per assignment."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.models import Grade
from backend.schemas.grades import GradeBulk, GradeCreate, GradeUpdate
from backend.services import bulk, crud
from backend.services import grade_rules as rules
from backend.services.audit import Actor
from backend.services.crud import ListQuery, PageResult
from backend.services.records import RecordFilter, filtered, live_course, live_student

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


def create_grade(*, session: Session, actor: Actor, data: GradeCreate) -> Grade:
    """Record one grade for an enrolled student, on the course's scale unless another is given."""
    student = live_student(session=session, student_id=data.student_id, field="student_id")
    course = live_course(session=session, course_id=data.course_id, field="course_id")
    max_grade = course.max_grade if data.max_grade is None else data.max_grade
    rules.refuse(
        rules.scale_problem(data.grade, max_grade),
        rules.category_problem(course, data.category),
        rules.enrolment_problem(session=session, course=course, student_id=student.id),
    )
    values = {
        **data.model_dump(),
        "max_grade": max_grade,
        "category": rules.canonical_category(course, data.category),
    }
    return crud.create_row(session=session, actor=actor, row=Grade(**values), entity_type="grade")


def update_grade(*, session: Session, actor: Actor, grade_id: int, changes: GradeUpdate) -> Grade:
    """Correct the given fields of a grade (audited with the values before and after)."""
    row = get_grade(session=session, grade_id=grade_id)
    values = crud.sent(changes)
    # A field that was not sent keeps its value (a sent null is refused where a value is needed).
    grade = row.grade if changes.grade is None else changes.grade
    max_grade = row.max_grade if changes.max_grade is None else changes.max_grade
    category = None
    if changes.category is not None:
        course = live_course(session=session, course_id=row.course_id)
        category = rules.category_problem(course, changes.category)
        values["category"] = rules.canonical_category(course, changes.category)
    rules.refuse(rules.scale_problem(grade, max_grade), category)
    return crud.update_row(session=session, actor=actor, row=row, values=values, entity_type="grade")


def delete_grade(*, session: Session, actor: Actor, grade_id: int) -> None:
    """Remove a wrong grade; the audit trail keeps its last values."""
    crud.delete_row(
        session=session, actor=actor, row=get_grade(session=session, grade_id=grade_id), entity_type="grade"
    )


def bulk_grades(*, session: Session, actor: Actor, data: GradeBulk) -> tuple[int, int, list[bulk.Row]]:
    """Create or update one assignment's grade for each listed student; one audit row.

    Every row is checked before any is saved, and one 422 names every wrong row.
    """
    course = bulk.locked_course(session=session, course_id=data.course_id)
    max_grade = course.max_grade if data.max_grade is None else data.max_grade
    problems = rules.row_problems(
        session=session,
        course=course,
        student_ids=[entry.student_id for entry in data.grades],
        grades=[entry.grade for entry in data.grades],
        max_grade=max_grade,
    )
    rules.refuse(rules.category_problem(course, data.category), *problems)
    category = rules.canonical_category(course, data.category)
    result = bulk.upsert_per_student(
        session=session,
        model=Grade,
        key={"course_id": data.course_id, "assignment_name": data.assignment_name},
        values={
            entry.student_id: {
                "grade": entry.grade,
                "max_grade": max_grade,
                "category": category,
                "date_assigned": data.date_assigned,
            }
            for entry in data.grades
        },
        tracked="grade",
    )
    created = [row["id"] for row in result.created]
    entity_id = f"course:{data.course_id}"
    bulk.audit_upsert(
        session=session, actor=actor, result=result, entity_type="grade", entity_id=entity_id, created=created
    )
    return len(result.created), len(result.updated), result.rows
