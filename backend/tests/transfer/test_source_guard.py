"""The source's guards: read-only mode for the run, and no commit of a copy that misses a write.

Every write here is made during the copy (the slow part of a run) by a plain sqlite3
connection in another thread: a program that is not SMS and cannot see read-only mode.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, text

from backend.db import migrations
from backend.scripts import migrate_sqlite_to_postgres as cli
from backend.tests.transfer.conftest import migrate_args, run, seed, target_state
from backend.transfer.errors import DataProblems, TransferError, VerificationFailed
from backend.transfer.migrate import Options, classify, migrate
from backend.transfer.report import MigrationReport, NullProgress

NEW_STUDENT = (
    "INSERT INTO students (student_id, first_name, last_name, email, enrollment_date, study_year,"
    " is_active, created_at, updated_at) VALUES (?, 'Νέος', 'Μαθητής', ?, '2025-09-01', 1, 1,"
    " '2025-09-01 00:00:00', '2025-09-01 00:00:00')"
)


class OnCopy(NullProgress):
    """Runs ``action`` once, when the copy of ``table`` starts."""

    def __init__(self, table: str, action: Callable[[], None]) -> None:
        self.table, self.action, self.done = table, action, False

    def start(self, table: str, total: int) -> None:
        if table == self.table and not self.done:
            self.done = True
            self.action()


def in_thread(path: Path, *statements: tuple[str, tuple[object, ...]]) -> Callable[[], None]:
    """An action: another program (plain sqlite3, in its own thread) writes and commits."""

    def write() -> None:
        def program() -> None:
            with sqlite3.connect(path, timeout=10) as db:
                for sql, params in statements:
                    db.execute(sql, params)

        thread = threading.Thread(target=program)
        thread.start()
        thread.join()

    return write


def mode(path: Path) -> tuple[object, ...] | None:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT read_only, reason, set_by FROM maintenance_mode").fetchone()


@pytest.fixture
def engine(target: URL) -> Iterator[Engine]:
    engine = create_engine(target)
    yield engine
    engine.dispose()


def _migrate(source: Path, engine: Engine, progress: NullProgress, **options: object) -> MigrationReport:
    # Rows already in the target (from an earlier test run) may be erased.
    return migrate(
        source=source,
        engine=engine,
        options=Options(**options),  # type: ignore[arg-type]
        confirm=lambda erase: True,
        progress=progress,
    )


def test_a_student_added_by_another_program_during_the_copy_stops_the_commit(
    source: Path, target: URL, engine: Engine
) -> None:
    seed(source, students=30)
    before = target_state(target)
    add = in_thread(source, (NEW_STUDENT, ("LATE-1", "late@school.gr")))
    with pytest.raises(VerificationFailed) as failed:
        _migrate(source, engine, OnCopy("attendance", add))
    message = str(failed.value)
    assert classify(failed.value).exit_code == 5
    assert "changed during the migration: students (1 row(s) added: 30 rows copied, 31 now)" in message
    assert "nothing was committed" in message and "attendance" not in message.split("migration:")[1]
    assert target_state(target) == before
    # A failed run puts read-only mode back as it was: writable.
    assert mode(source)[0] == 0  # type: ignore[index]


def test_rows_changed_and_removed_are_named_by_table(source: Path, engine: Engine) -> None:
    seed(source, students=20)
    edit = in_thread(
        source,
        ("UPDATE students SET first_name = 'Άλλος' WHERE id = 1", ()),
        ("DELETE FROM highlights WHERE id IN (SELECT id FROM highlights ORDER BY id LIMIT 2)", ()),
    )
    with pytest.raises(VerificationFailed) as failed:
        _migrate(source, engine, OnCopy("grades", edit))
    assert failed.value.details == [
        "students (1 row(s) changed: 20 rows copied, 20 now)",
        "highlights (2 row(s) removed: 20 rows copied, 18 now)",
    ]


def test_bookkeeping_written_during_the_copy_is_no_change(source: Path, target: URL, engine: Engine) -> None:
    seed(source, students=10)
    note = in_thread(source, ("UPDATE maintenance_mode SET reason = 'a job says 40 %'", ()))
    report = _migrate(source, engine, OnCopy("students", note))
    assert report.source_guard["written_during_run"] is True and report.source_guard["changed"] == []
    with create_engine(target).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM students")).scalar() == 10


def test_read_only_during_the_run_and_after_it_unless_kept_writable(source: Path, engine: Engine) -> None:
    seed(source, students=5)
    seen: list[tuple[object, ...] | None] = []
    report = _migrate(source, engine, OnCopy("students", lambda: seen.append(mode(source))))
    assert seen[0][:2] == (1, "moving to PostgreSQL")  # type: ignore[index]
    assert "migrate_sqlite_to_postgres" in str(seen[0][2])  # type: ignore[index]
    assert report.source_guard == {
        "read_only": "on",
        "written_during_run": False,
        "changed": [],
        "check_seconds": report.source_guard["check_seconds"],
        "after": "read-only",
    }
    assert mode(source)[:2] == (1, "moving to PostgreSQL")  # type: ignore[index]

    # The admin's own read-only mode (exams week) is left exactly as it was.
    with sqlite3.connect(source) as db:
        db.execute("UPDATE maintenance_mode SET reason = 'exams', set_by = 'admin'")
    _migrate(source, engine, NullProgress(), keep_source_writable=True)
    assert mode(source) == (1, "exams", "admin")
    with sqlite3.connect(source) as db:
        db.execute("DELETE FROM maintenance_mode")
    report = _migrate(source, engine, NullProgress(), keep_source_writable=True)
    assert report.source_guard["after"] == "as before the run" and mode(source)[0] == 0  # type: ignore[index]


def _interrupt() -> None:
    raise KeyboardInterrupt


def test_a_failure_or_ctrl_c_puts_the_mode_back_exactly(source: Path, target: URL, engine: Engine) -> None:
    seed(source, students=5)
    with sqlite3.connect(source) as db:
        db.execute(
            "INSERT INTO maintenance_mode (id, read_only, reason, since, set_by) "
            "VALUES (1, 1, 'exams', '2026-01-10 08:00:00.000000', 'admin')"
        )
        earlier = db.execute("SELECT * FROM maintenance_mode").fetchall()
    before = target_state(target)
    with pytest.raises(KeyboardInterrupt):
        _migrate(source, engine, OnCopy("grades", _interrupt))
    with sqlite3.connect(source) as db:
        assert db.execute("SELECT * FROM maintenance_mode").fetchall() == earlier
        db.execute("DELETE FROM maintenance_mode")
        db.execute("UPDATE grades SET course_id = 99999 WHERE id = 1")  # an orphan: exit 4
    with pytest.raises(DataProblems):
        _migrate(source, engine, NullProgress())
    assert mode(source) == (0, None, None)
    assert target_state(target) == before


def test_the_cli_says_exit_5_in_one_line(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(source, students=8)
    add = in_thread(source, (NEW_STUDENT, ("LATE-2", "late2@school.gr")))
    monkeypatch.setattr(cli, "NullProgress", lambda: OnCopy("courses", add))
    result = run(capsys, *migrate_args(source, target))
    assert result.code == 5
    assert result.err.count("\n") == 1 and result.err.startswith("error: the source ")
    assert "students (1 row(s) added: 8 rows copied, 9 now)" in result.err and "next:" not in result.out


def test_a_write_in_flight_is_waited_for_and_copied(source: Path, target: URL, engine: Engine) -> None:
    seed(source, students=5)
    writer = sqlite3.connect(source, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(NEW_STUDENT, ("IN-FLIGHT", "inflight@school.gr"))
    timer = threading.Timer(0.5, lambda: writer.execute("COMMIT"))
    timer.start()
    started = time.monotonic()
    report = _migrate(source, engine, NullProgress())
    timer.join()
    writer.close()
    assert time.monotonic() - started >= 0.5 and report.source_guard["changed"] == []
    with create_engine(target).connect() as connection:
        assert connection.execute(
            text("SELECT count(*) FROM students WHERE student_id = 'IN-FLIGHT'")
        ).scalar()


def test_a_source_too_old_for_read_only_mode_is_still_checked(tmp_path: Path, engine: Engine) -> None:
    old = tmp_path / "old.db"
    sqlite = create_engine(f"sqlite:///{old}")
    migrations.upgrade(sqlite, "0003")
    sqlite.dispose()
    add = in_thread(old, (NEW_STUDENT, ("OLD-1", "old@school.gr")))
    with pytest.raises(TransferError) as failed:
        _migrate(old, engine, OnCopy("students", add))
    assert classify(failed.value).exit_code == 5
    assert "students (1 row(s) added: 0 rows copied, 1 now)" in str(failed.value)
    with sqlite3.connect(old) as db:  # nothing was added to its schema
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    report = _migrate(old, engine, NullProgress())
    assert report.source_guard["read_only"] == "unavailable"
    assert any("no read-only mode" in warning for warning in report.warnings)
