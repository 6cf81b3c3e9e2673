"""Constraint errors from the real engines become the same answer on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.api.errors import UNIQUE_CONSTRAINTS, integrity_answer
from backend.models import Course, CourseEnrollment, Grade, Student


def _violation(engine: Engine, write: Callable[[Session], None]) -> IntegrityError:
    with Session(engine) as session, pytest.raises(IntegrityError) as caught:
        write(session)
        session.flush()
    return caught.value


def _student(n: int) -> Student:
    return Student(
        student_id=f"E-{n}",
        first_name="A",
        last_name="B",
        email=f"e{n}@school.example",
        enrollment_date=date(2024, 9, 1),
    )


def test_constraint_errors_read_the_same_on_both_engines(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        student, course = _student(1), Course(course_code="E1", course_name="E", semester="F", year=2024)
        session.add_all([student, course])
        session.flush()
        session.add(CourseEnrollment(student_id=student.id, course_id=course.id))
        ids = (student.id, course.id)

    duplicate_email = _violation(
        engine,
        lambda s: s.add(
            Student(
                student_id="E-2",
                first_name="A",
                last_name="B",
                email="e1@school.example",
                enrollment_date=date(2024, 9, 1),
            )
        ),
    )
    assert integrity_answer(duplicate_email) == (409, UNIQUE_CONSTRAINTS["uq_students_email"][1], "email")

    twice = _violation(engine, lambda s: s.add(CourseEnrollment(student_id=ids[0], course_id=ids[1])))
    assert integrity_answer(twice) == (
        409,
        UNIQUE_CONSTRAINTS["uq_course_enrollments_student_id_course_id"][1],
        "enrollment",
    )

    orphan = _violation(
        engine,
        lambda s: s.add(
            Grade(student_id=987654, course_id=ids[1], assignment_name="x", category="exam", grade=1)
        ),
    )
    assert integrity_answer(orphan) == (
        400,
        "A record this request refers to does not exist (or was just removed): check the ids",
        None,
    )

    def null_email(session: Session) -> None:
        session.execute(
            text(
                "INSERT INTO students (student_id, first_name, last_name, email, enrollment_date, "
                "study_year, is_active) VALUES ('E-3', 'A', 'B', NULL, '2024-09-01', 1, true)"
            )
        )

    missing = _violation(engine, null_email)
    assert integrity_answer(missing) == (400, "email is missing: send a value for it", "email")
