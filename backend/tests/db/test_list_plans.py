"""The student list's page and an assignment's grades are read off their indexes (revision 0007).

The statements are the ones the app runs, caught as they are sent, then explained with the same
values on each engine once its planner has statistics (PostgreSQL's autovacuum gathers them;
SQLite's after ANALYZE).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import URL, Engine, create_engine, event, insert, text
from sqlalchemy.orm import Session

from backend.db import migrations
from backend.models import Course, Grade, Student
from backend.services import bulk, students
from backend.services.crud import ListQuery

STUDENTS = 400


@pytest.fixture
def engine(empty_database_url: URL) -> Iterator[Engine]:
    engine = create_engine(empty_database_url)
    migrations.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(Student),
            [
                {
                    "student_id": f"S{n:04}",
                    "first_name": "Ana",
                    "last_name": f"Surname{(n * 7919) % STUDENTS:04}",
                    "email": f"s{n}@school.example",
                    "enrollment_date": date(2024, 9, 2),
                }
                for n in range(STUDENTS)
            ],
        )
        course = conn.execute(
            insert(Course).returning(Course.id),
            {"course_code": "MATH1", "course_name": "Mathematics", "semester": "Fall", "year": 2024},
        ).scalar_one()
        first = conn.execute(text("SELECT min(id) FROM students")).scalar_one()
        conn.execute(
            insert(Grade),
            [
                {
                    "student_id": first + n % 25,
                    "course_id": course,
                    "assignment_name": f"Homework {n // 25}",
                    "category": "homework",
                    "grade": 80,
                }
                for n in range(25 * 40)
            ],
        )
        conn.execute(text("ANALYZE"))
    yield engine
    engine.dispose()


@contextmanager
def sent(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", catch)


def plan(engine: Engine, statement: str, parameters: Any) -> str:
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(explain + statement, parameters).all()
    return "\n".join(str(row[-1]) for row in rows)


def test_a_page_of_the_student_list_reads_the_live_name_index(engine: Engine) -> None:
    listed = students._listed(False, False, None, False, False)
    with Session(engine) as session, sent(engine) as statements:
        page = students.page_of_students(session=session, stmt=listed, query=ListQuery(offset=100), params={})
    assert page.total == STUDENTS and len(page.items) == 50
    names = [item["last_name"] for item in page.items]
    assert names == sorted(names) and names[0] == "Surname0100"
    (statement, parameters), *_ = statements
    shown = plan(engine, statement, parameters)
    assert "ix_students_live_lower_last_name" in shown, shown
    assert "Sort" not in shown and "TEMP B-TREE" not in shown, shown


def test_an_assignments_grades_are_found_by_course_and_name(engine: Engine) -> None:
    with engine.connect() as conn:
        course = conn.execute(text("SELECT id FROM courses")).scalar_one()
        ids = list(conn.execute(text("SELECT id FROM students ORDER BY id LIMIT 25")).scalars())
    existing = bulk.statements(Grade.__table__, ("course_id", "assignment_name")).existing
    with engine.connect() as conn, sent(engine) as statements:
        found = conn.execute(
            existing, {"course_id": course, "assignment_name": "Homework 7", "student_ids": ids}
        ).all()
    assert len(found) == 25
    (statement, parameters), *_ = statements
    shown = plan(engine, statement, parameters)
    assert "ix_grades_course_id_assignment_name" in shown, shown
