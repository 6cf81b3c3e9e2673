"""GET requests read through sessions that refuse to write; on PostgreSQL without BEGIN/COMMIT."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from backend.config import Settings
from backend.db.engine_builder import create_database_engine
from backend.db.read_sessions import WriteInReadSession
from backend.db.session import Database, SessionDep
from backend.main import create_app
from backend.models import Student
from backend.tests.db.test_session_dependency import _student


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Student)) or 0


@pytest.fixture
def database(settings: Settings) -> Any:
    db = Database(
        settings.database,
        create_database_engine(settings.database, settings.engine_options),
        autocommit_reads=True,
    )
    yield db
    db.dispose()


def test_a_read_session_on_postgres_sends_no_begin(database: Database, db_kind: str) -> None:
    with database.read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Student)) == 0
        driver = session.connection().connection.dbapi_connection
        if db_kind == "postgresql":
            # IDLE after a statement: it ran on its own, no transaction was opened around it.
            assert driver.info.transaction_status == 0
    with database.sessions() as session:
        session.scalar(select(func.count()).select_from(Student))
        if db_kind == "postgresql":  # INTRANS: the other requests' sessions keep their transaction
            assert session.connection().connection.dbapi_connection.info.transaction_status == 2


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda s: (s.add(_student("R-1")), s.flush()), id="orm-flush"),
        pytest.param(
            lambda s: s.execute(
                insert(Student).values(
                    student_id="R-2",
                    first_name="A",
                    last_name="B",
                    email="r2@school.test",
                    enrollment_date=date(2026, 9, 1),
                )
            ),
            id="core-insert",
        ),
        pytest.param(lambda s: s.execute(text("UPDATE students SET first_name = 'X'")), id="text-update"),
        pytest.param(lambda s: s.execute(text("  delete from students")), id="text-delete"),
    ],
)
def test_a_read_session_refuses_every_write_on_both_engines(
    database: Database, engine: Engine, write: Any
) -> None:
    with Session(engine) as session:
        session.add(_student("R-0"))
        session.commit()
    with database.read_sessions() as session, pytest.raises(WriteInReadSession, match="read-only request"):
        write(session)
        session.commit()
    with Session(engine) as session:
        assert session.scalars(select(Student.first_name)).all() == ["Ελένη"]


def test_a_read_session_refuses_row_locks_on_both_engines(database: Database) -> None:
    # On SQLite with_for_update() renders nothing but takes the database's write lock.
    with database.read_sessions() as session, pytest.raises(WriteInReadSession):
        session.execute(select(Student.id).with_for_update())


def test_a_get_that_writes_is_a_server_error_and_writes_nothing(settings: Settings, engine: Engine) -> None:
    app = create_app(settings)

    @app.get("/test/writing-get")
    def writing_get(session: SessionDep) -> dict[str, str]:
        session.add(_student("G-1"))
        session.flush()
        return {"status": "ok"}

    @app.get("/test/reading-get")
    def reading_get(session: SessionDep) -> dict[str, int]:
        return {"students": session.scalar(select(func.count()).select_from(Student)) or 0}

    @app.post("/test/writing-post")
    def writing_post(session: SessionDep) -> dict[str, str]:
        session.add(_student("P-1"))
        return {"status": "ok"}

    # Ahead of the web app's catch-all GET route, which would answer these paths with 404.
    app.router.routes.sort(key=lambda route: not getattr(route, "path", "").startswith("/test/"))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/test/writing-get").status_code == 500
        assert _count(engine) == 0
        assert client.post("/test/writing-post").status_code == 200
        assert client.get("/test/reading-get").json() == {"students": 1}
