"""After a migration the app runs on the target: sequences continue after the copied ids."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import URL, create_engine, text
from sqlalchemy.orm import Session

from backend.core.security import hash_password
from backend.main import create_app
from backend.models import Highlight
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, login, make_settings
from backend.tests.transfer.conftest import migrate_args, run, seed


def test_the_app_creates_students_courses_and_grades_after_a_migration(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    seed(source, students=10)
    with sqlite3.connect(source) as db:
        # The school's real admin, whose argon2 hash must survive the move intact.
        db.execute(
            "INSERT INTO users (email, full_name, hashed_password, role, is_active, security_stamp,"
            " must_change_password, created_at, updated_at) VALUES (?, 'Admin', ?, 'admin', 1, 'stamp', 0,"
            " '2025-09-01 00:00:00', '2025-09-01 00:00:00')",
            (ADMIN_EMAIL, hash_password(ADMIN_PASSWORD)),
        )
        db.execute("DELETE FROM highlights")  # an empty table: its sequence must start at 1
        max_ids = {
            t: db.execute(f"SELECT max(id) FROM {t}").fetchone()[0] for t in ("students", "courses", "grades")
        }
    result = run(capsys, *migrate_args(source, target))
    assert result.code == 0, result.err

    with TestClient(create_app(make_settings(target, tmp_path))) as client:
        headers = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        student = client.post(
            "/api/v1/students",
            headers=headers,
            json={
                "student_id": "NEW-1",
                "first_name": "Νέα",
                "last_name": "Μαθήτρια",
                "email": "new@school.gr",
                "enrollment_date": "2025-10-01",
            },
        )
        assert student.status_code == 201, student.text
        course = client.post(
            "/api/v1/courses",
            headers=headers,
            json={
                "course_code": "NEW-101",
                "course_name": "Ρομποτική",
                "semester": "Εαρινό",
                "year": 2026,
                "evaluation_rules": [{"category": "exam", "weight": 100}],
            },
        )
        assert course.status_code == 201, course.text
        enrollment = client.post(
            "/api/v1/enrollments",
            headers=headers,
            json={"student_id": student.json()["id"], "course_id": course.json()["id"]},
        )
        assert enrollment.status_code == 201, enrollment.text
        grade = client.post(
            "/api/v1/grades",
            headers=headers,
            json={
                "student_id": student.json()["id"],
                "course_id": course.json()["id"],
                "assignment_name": "Τελικό",
                "category": "exam",
                "grade": "88.5",
            },
        )
        assert grade.status_code == 201, grade.text
    assert student.json()["id"] == max_ids["students"] + 1
    assert course.json()["id"] == max_ids["courses"] + 1
    assert grade.json()["id"] == max_ids["grades"] + 1

    engine = create_engine(target)
    with Session(engine) as session, session.begin():
        highlight = Highlight(
            student_id=1,
            semester="Εαρινό",
            category="academic",
            highlight_text="πρώτη",
            date_recorded=date(2026, 3, 1),
        )
        session.add(highlight)
        session.flush()
        assert highlight.id == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM students")).scalar() == 11
    engine.dispose()
