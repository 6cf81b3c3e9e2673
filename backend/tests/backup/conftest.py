"""Helpers for the backup tests: seed data, read every row back, build a Database for a URL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import URL, Engine, inspect, select, table, text
from sqlalchemy.orm import Session

from backend.backups.service import BackupOptions
from backend.config import Settings
from backend.db.engine_builder import create_database_engine, resolve_database
from backend.db.session import Database
from backend.models import (
    Attendance,
    AttendanceStatus,
    Base,
    Course,
    CourseEnrollment,
    Grade,
    Student,
)

BACKUPS = "/api/v1/control/backups"


def add_student(session: Session, key: str, course: Course | None = None) -> Student:
    student = Student(
        student_id=f"S-{key}",
        first_name="Ada",
        last_name=f"Student {key}",
        email=f"{key}@school.test",
        enrollment_date=date(2025, 9, 1),
        study_year=1,
    )
    session.add(student)
    session.flush()
    if course is not None:
        session.add(CourseEnrollment(student_id=student.id, course_id=course.id))
        session.add(
            Grade(
                student_id=student.id,
                course_id=course.id,
                assignment_name="Quiz",
                category="quiz",
                grade=Decimal("17.50"),
                max_grade=Decimal("20"),
            )
        )
    return student


def seed(engine: Engine, students: int = 6) -> None:
    """A small school: two courses, students enrolled with grades and attendance."""
    with Session(engine) as session, session.begin():
        courses = [
            Course(
                course_code=f"C-{n}",
                course_name=f"Course {n}",
                semester="Fall",
                year=2025,
                absence_penalty=Decimal("1.25"),
                evaluation_rules=[{"category": "quiz", "weight": 100}],
            )
            for n in (1, 2)
        ]
        session.add_all(courses)
        session.flush()
        for n in range(students):
            student = add_student(session, f"seed{n}", courses[n % 2])
            session.add(
                Attendance(
                    student_id=student.id,
                    course_id=courses[n % 2].id,
                    date=date(2025, 10, 1),
                    status=AttendanceStatus.LATE if n % 3 else AttendanceStatus.PRESENT,
                )
            )


def change_everything(engine: Engine) -> None:
    """Edits, deletes and inserts across several tables, so a restore has something to undo."""
    with Session(engine) as session, session.begin():
        session.execute(text("UPDATE students SET first_name = 'Changed'"))
        session.execute(text("DELETE FROM grades"))
        session.execute(text("DELETE FROM attendance WHERE status = 'late'"))
        course = session.scalars(select(Course)).first()
        add_student(session, "after-backup", course)


def all_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (alembic_version too), in primary-key order."""
    rows = {}
    with engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            model = Base.metadata.tables.get(name)
            order = [c.name for c in model.primary_key.columns] if model is not None else ["version_num"]
            query = select(text("*")).select_from(table(name)).order_by(*(text(f'"{c}"') for c in order))
            rows[name] = [tuple(r) for r in connection.execute(query)]
    return rows


def database_for(url: URL, settings: Settings) -> Database:
    """A Database for another URL (e.g. an empty one to restore into), built like the app's."""
    resolved = resolve_database(
        database_engine=None,
        database_url=url.render_as_string(hide_password=False),
        sqlite_path=settings.SQLITE_PATH,
        base_dir=settings.resolve_path("."),
    )
    return Database(resolved, create_database_engine(resolved, settings.engine_options))


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    """The test database as the backup functions see it (an engine of its own, like the CLI's)."""
    db = Database(settings.database, create_database_engine(settings.database, settings.engine_options))
    yield db
    db.dispose()


@pytest.fixture
def options(settings: Settings) -> BackupOptions:
    return BackupOptions.from_settings(settings)
