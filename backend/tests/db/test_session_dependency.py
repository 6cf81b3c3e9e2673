"""The request session commits before the response is sent, and rolls back on error."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from backend.config import Settings
from backend.db.session import SessionDep
from backend.main import create_app
from backend.models import Student


def _student(number: str) -> Student:
    return Student(
        student_id=number,
        first_name="Ελένη",
        last_name="Test",
        email=f"{number}@school.test",
        enrollment_date=date(2026, 9, 1),
    )


def test_a_commit_that_fails_is_reported_to_the_client_and_nothing_is_kept(
    settings: Settings, engine: Engine
) -> None:
    app = create_app(settings)

    @app.post("/test/unflushed-duplicates")
    def unflushed_duplicates(session: SessionDep) -> dict[str, str]:
        # Nothing is flushed here: the unique violation only surfaces at commit.
        session.add_all([_student("S-1"), _student("S-1")])
        return {"status": "ok"}

    @app.post("/test/one-student")
    def one_student(session: SessionDep) -> dict[str, str]:
        session.add(_student("S-2"))
        return {"status": "ok"}

    with TestClient(app, raise_server_exceptions=False) as client:
        failed = client.post("/test/unflushed-duplicates")
        assert failed.status_code == 409, failed.text
        assert client.post("/test/one-student").status_code == 200
        with Session(engine) as session:
            numbers = session.scalars(select(Student.student_id)).all()
            assert numbers == ["S-2"]  # committed before the response arrived
            assert session.scalar(select(func.count()).select_from(Student)) == 1
