"""SQLite takes the write lock at a transaction's first write, never for reads or lock-free work."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from backend.db.engine_builder import EngineOptions, create_database_engine, resolve_database
from backend.db.session import session_scope
from backend.models import Student


@pytest.fixture
def engine_path(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "locks.db"
    shutil.copyfile(sqlite_template, path)
    return path


def _engine(path: Path, busy_timeout_ms: int = 10_000) -> Engine:
    resolved = resolve_database(
        database_engine="sqlite", database_url=None, sqlite_path=str(path), base_dir=path.parent
    )
    return create_database_engine(resolved, EngineOptions(sqlite_busy_timeout_ms=busy_timeout_ms))


def _student(n: int) -> Student:
    return Student(
        student_id=f"L{n:04d}",
        first_name="Ελένη",
        last_name=f"Lock{n}",
        email=f"lock{n}@school.test",
        enrollment_date=date(2026, 9, 1),
    )


def _holds_write_lock(path: Path) -> bool:
    """Whether some other connection holds the write lock right now (a probe that does not wait)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    finally:
        probe.close()


def test_a_reading_transaction_holds_no_write_lock(engine_path: Path) -> None:
    engine = _engine(engine_path)
    try:
        with Session(engine) as session, session.begin():
            session.scalar(select(func.count()).select_from(Student))
            assert not _holds_write_lock(engine_path)
            session.add(_student(1))
            session.flush()
            assert _holds_write_lock(engine_path)
        assert not _holds_write_lock(engine_path)
    finally:
        engine.dispose()


def test_work_between_a_read_and_the_first_write_does_not_block_other_writers(engine_path: Path) -> None:
    """Read, think for a while (a password hash), then write: others write meanwhile, no error."""
    engine = _engine(engine_path)
    other_done = threading.Event()

    def other_writer() -> None:
        with session_scope(sessions) as session:
            session.add(_student(2))
        other_done.set()

    sessions = sessionmaker(engine, expire_on_commit=False)
    try:
        with session_scope(sessions) as session:
            before = session.scalar(select(func.count()).select_from(Student))
            thread = threading.Thread(target=other_writer)
            thread.start()
            assert other_done.wait(5), "the other writer waited for a lock nobody needed"
            session.add(_student(1))
        thread.join()
        with session_scope(sessions) as session:
            assert session.scalar(select(func.count()).select_from(Student)) == before + 2
    finally:
        engine.dispose()


def test_select_for_update_takes_the_write_lock_before_the_read(engine_path: Path) -> None:
    engine = _engine(engine_path)
    try:
        with Session(engine) as session, session.begin():
            session.add(_student(1))
        with Session(engine) as session, session.begin():
            session.scalar(select(Student).where(Student.student_id == "L0001").with_for_update())
            assert _holds_write_lock(engine_path)
    finally:
        engine.dispose()


def test_a_decision_read_with_for_update_still_holds_when_it_writes(engine_path: Path) -> None:
    """Two increments that each read-decide-write through FOR UPDATE never lose one."""
    engine = _engine(engine_path)
    with Session(engine) as session, session.begin():
        session.add(_student(1))

    def increment() -> None:
        for _ in range(20):
            with Session(engine) as session, session.begin():
                student = session.scalar(
                    select(Student).where(Student.student_id == "L0001").with_for_update()
                )
                assert student is not None
                count = int(student.notes or "0")
                time.sleep(0.001)
                session.execute(update(Student).where(Student.id == student.id).values(notes=str(count + 1)))

    try:
        threads = [threading.Thread(target=increment) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with engine.connect() as conn:
            notes = conn.execute(text("SELECT notes FROM students WHERE student_id = 'L0001'")).scalar()
        assert notes == "80"
    finally:
        engine.dispose()


def test_savepoints_work_in_both_kinds_of_transaction(engine_path: Path) -> None:
    engine = _engine(engine_path)
    try:
        with Session(engine) as session, session.begin():
            with session.begin_nested():
                session.add(_student(1))
            with pytest.raises(OperationalError), session.begin_nested():
                session.execute(text("INSERT INTO no_such_table VALUES (1)"))
            session.add(_student(2))
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Student)) == 2
    finally:
        engine.dispose()


def test_a_rolled_back_write_leaves_nothing(engine_path: Path) -> None:
    engine = _engine(engine_path)
    try:
        with pytest.raises(RuntimeError), Session(engine) as session, session.begin():
            session.scalar(select(func.count()).select_from(Student))
            session.add(_student(1))
            session.flush()
            raise RuntimeError("the route failed")
        assert not _holds_write_lock(engine_path)
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Student)) == 0
    finally:
        engine.dispose()
