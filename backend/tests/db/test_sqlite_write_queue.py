"""SQLite writers of one process queue on a process lock: they go on at the holder's commit,
the lock is never left behind (rollback, failed statement), and a wait past busy_timeout still
ends in SQLite's own "database is locked" (SQLite only: PostgreSQL writers do not queue)."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import URL, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from backend.db.engine_builder import create_database_engine
from backend.db.session import Database, session_scope
from backend.models import Student
from backend.tests.conftest import make_settings


def _student(n: int) -> Student:
    return Student(
        student_id=f"Q{n:04d}",
        first_name="Ana",
        last_name=f"Queue{n}",
        email=f"q{n}@school.test",
        enrollment_date=date(2026, 9, 1),
    )


def _database(template: Path, tmp_path: Path, busy_ms: int) -> Database:
    path = tmp_path / "queue.db"
    shutil.copyfile(template, path)
    url = URL.create("sqlite", database=str(path))
    settings = make_settings(url, tmp_path, SQLITE_BUSY_TIMEOUT_MS=busy_ms)
    return Database(settings.database, create_database_engine(settings.database, settings.engine_options))


@pytest.fixture
def database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = _database(sqlite_template, tmp_path, busy_ms=10_000)
    yield database
    database.dispose()


def _count(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Student)) or 0


def test_a_waiting_writer_goes_on_at_the_holders_commit(database: Database) -> None:
    holder = database.sessions()
    holder.add(_student(1))
    holder.flush()  # BEGIN IMMEDIATE: the holder has the write lock (and the queue)
    queue = holder.connection().connection.dbapi_connection.write_lock  # type: ignore[union-attr]
    assert queue.locked()
    done = threading.Event()

    def writer() -> None:
        with session_scope(database.sessions) as session:
            session.add(_student(2))
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert not done.wait(0.5)  # queued behind the open write transaction
    holder.commit()
    holder.close()
    assert done.wait(5)
    thread.join()
    assert not queue.locked()
    assert _count(database) == 2


def test_the_queue_is_free_after_a_rollback_and_after_a_failed_write(database: Database) -> None:
    with session_scope(database.sessions) as session:
        session.add(_student(1))
    rolled_back = database.sessions()
    rolled_back.add(_student(2))
    rolled_back.flush()
    rolled_back.rollback()
    rolled_back.close()
    with pytest.raises(IntegrityError), session_scope(database.sessions) as session:
        session.add(_student(1))  # the same student number again
    began = time.monotonic()
    with session_scope(database.sessions) as session:
        session.add(_student(3))
    assert time.monotonic() - began < 2  # no queue left held (the wait would be 10 s)
    assert _count(database) == 2


def test_a_wait_past_busy_timeout_ends_in_sqlites_own_error(sqlite_template: Path, tmp_path: Path) -> None:
    database = _database(sqlite_template, tmp_path, busy_ms=300)
    try:
        holder = database.sessions()
        holder.add(_student(1))
        holder.flush()
        began = time.monotonic()
        failed: list[BaseException] = []

        def writer() -> None:
            try:
                with session_scope(database.sessions) as session:
                    session.add(_student(2))
            except OperationalError as exc:
                failed.append(exc)

        thread = threading.Thread(target=writer)
        thread.start()
        thread.join(10)
        waited = time.monotonic() - began
        holder.commit()
        holder.close()
        assert len(failed) == 1 and "database is locked" in str(failed[0])
        assert waited >= 0.3  # the queue's wait, then SQLite's own
        with session_scope(database.sessions) as session:  # and nothing stays held
            session.add(_student(3))
        assert _count(database) == 2
    finally:
        database.dispose()
