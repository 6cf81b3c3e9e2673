"""Concurrent writers never see "database is locked" on SQLite (and none fail on PostgreSQL)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import URL, Engine, create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.config import Settings
from backend.core.security import hash_password
from backend.db.engine_builder import create_database_engine
from backend.db.session import Database, session_scope
from backend.main import create_app
from backend.models import Student, User, UserRole
from backend.tests.api.conftest import LiveServer

WRITERS = 20
ROUNDS = 10


def _read_then_write(sessions: sessionmaker[Session], writer: int, round_: int) -> None:
    """The pattern that breaks deferred SQLite transactions: read, think, then write."""
    with session_scope(sessions) as session:
        count = session.scalar(select(func.count()).select_from(Student))
        time.sleep(0.002)
        session.add(
            Student(
                student_id=f"S{writer:03d}-{round_:03d}",
                first_name="Νίκος",
                last_name=f"Writer{writer}",
                email=f"w{writer}-{round_}@school.test",
                enrollment_date=date(2026, 9, 1),
                notes=f"seen {count}",
            )
        )


def _hammer(sessions: sessionmaker[Session]) -> list[str]:
    errors: list[str] = []

    def writer(n: int) -> None:
        for round_ in range(ROUNDS):
            try:
                _read_then_write(sessions, n, round_)
            except Exception as exc:
                errors.append(str(exc).splitlines()[0])

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    return errors


def test_twenty_concurrent_writers_never_fail(settings: Settings) -> None:
    database = Database(settings.database, create_database_engine(settings.database, settings.engine_options))
    try:
        errors = _hammer(database.sessions)
        with database.sessions() as session:
            written = session.scalar(select(func.count()).select_from(Student))
    finally:
        database.dispose()
    assert errors == []
    assert written == WRITERS * ROUNDS


def _plain_deferred_engine(path: Path) -> Engine:
    """SQLite as most apps use it: every transaction BEGIN DEFERRED, the lock taken mid-way."""
    engine = create_engine(URL.create("sqlite", database=str(path)), connect_args={"timeout": 15})

    @event.listens_for(engine, "connect")
    def _wal(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN DEFERRED")

    return engine


def test_deferred_transactions_would_fail_without_the_lock_at_first_write(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """The control (SQLite only): the same load with plain DEFERRED transactions hits locks."""
    path = tmp_path / "control.db"
    shutil.copyfile(sqlite_template, path)
    engine = _plain_deferred_engine(path)
    try:
        errors = _hammer(sessionmaker(engine))
    finally:
        engine.dispose()
    assert any("database is locked" in e for e in errors)


@pytest.fixture
def live_url(settings: Settings) -> Iterator[str]:
    with LiveServer(create_app(settings)) as server:
        yield server.url


def test_twenty_concurrent_api_writers_get_no_errors(live_url: str, settings: Settings) -> None:
    """Logins write (last login, failure counters) after reading the user: 20 at once over HTTP."""
    engine = create_database_engine(settings.database, settings.engine_options)
    password = "Writer-pa55!"
    hashed = hash_password(password)
    with Session(engine) as session, session.begin():
        session.add_all(
            User(email=f"writer{n}@school.test", hashed_password=hashed, role=UserRole.TEACHER)
            for n in range(WRITERS)
        )
    engine.dispose()

    def writer(n: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=live_url, timeout=60) as http:
            for round_ in range(2):
                wrong = round_ == 1  # failed logins write the failure counter
                body = {"email": f"writer{n}@school.test", "password": "nope" if wrong else password}
                statuses.append(http.post("/api/v1/auth/login", json=body).status_code)
        return statuses

    with ThreadPoolExecutor(WRITERS) as pool:
        results = [s for statuses in pool.map(writer, range(WRITERS)) for s in statuses]
    assert results.count(200) == WRITERS
    assert results.count(401) == WRITERS
    assert all(code in (200, 401) for code in results)
