"""The migration tool end to end: real SQLite files in, a real PostgreSQL out, through the CLI."""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, select, text

from backend.db import migrations
from backend.models import Base
from backend.tests.transfer import row_checksums
from backend.tests.transfer.conftest import file_hashes, migrate_args, run, seed, target_state
from backend.transfer.plan import build_plan as school_plan
from backend.transfer.plan import school_tables


def _rows(url: str, table_name: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    table = Base.metadata.tables[table_name]
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
    engine.dispose()
    return rows


def test_migrates_a_demo_school_faithfully(source: Path, target: URL, capsys, tmp_path: Path) -> None:
    seed(source, students=40)
    report_path = tmp_path / "report.json"
    result = run(capsys, *migrate_args(source, target, "--report-json", str(report_path)))
    assert result.code == 0, result.err
    assert "migrated" in result.out and "verified" in result.out
    # Through the models' own types on both engines: Decimal, float, aware datetimes, JSON, enums.
    for table in school_tables():
        expected = _rows(f"sqlite:///{source}", table.name)
        # seed_demo fills every table of the school but the login bookkeeping (sessions, throttle).
        assert expected or table.name in ("login_throttle", "user_sessions"), table.name
        assert _rows(target.render_as_string(hide_password=False), table.name) == expected, table.name
    report = json.loads(report_path.read_text())
    assert report["status"] == "ok" and report["exit_code"] == 0
    written = {t["name"]: t["rows_written"] for t in report["tables"]}
    assert written["students"] == 40 and written["course_enrollments"] == 200
    assert all(v["content_match"] for v in report["verification"].values())
    assert report["totals"]["rows_read"] == report["totals"]["rows_written"] == sum(written.values())
    # The summary table names every table with its counts.
    assert "attendance" in result.out and "rows written" in result.out


def test_awkward_values_arrive_exactly(source: Path, target: URL, capsys) -> None:
    floats = [0.1 + 0.2, 1 / 3, 5e-324, -0.0, 1e15, 123456789012345.6, 1e300, 2.5e-5, float("inf")]
    texts = ["", "tab\tand\nnewline\r\n", "back\\slash \\N \\.", "quo\"te and 'apos'", "Ελληνικά 🎓", "(a,b)"]
    with sqlite3.connect(source) as db:
        db.execute(
            "INSERT INTO students (id, student_id, first_name, last_name, email, enrollment_date, study_year,"
            " is_active, created_at, updated_at) VALUES (1, 'S1', 'Α', 'Β', 'a@b.gr', '2025-09-01', 1, 1,"
            " '2025-09-01 10:00:00.000001', '2025-09-01T12:30:00+02:00')"
        )
        db.execute(
            "INSERT INTO courses (id, course_code, course_name, credits, semester, year, hours_per_week,"
            " absence_penalty, max_grade, passing_grade, is_active, created_at, updated_at, evaluation_rules)"
            " VALUES (1, 'C1', 'c', 3, 's', 2025, 3.0, 0.1, 100, 9999.99, 'true', '2025-09-01 10:00:00',"
            ' \'2025-09-01\', \' [{"w": 1.50, "σ": "\\u00e9"}] \')'
        )
        for n, value in enumerate(floats, start=1):
            note = texts[n % len(texts)] if n % 3 else None
            db.execute(
                "INSERT INTO daily_performance (id, student_id, course_id, date, category, score, max_score,"
                " notes, created_at, updated_at) VALUES (?, 1, 1, '2025-09-02', 'q', ?, 10.0, ?,"
                " '2025-09-02 08:00:00.5', '2025-09-02 08:00:00.123456')",
                (n, value, note),
            )
    with sqlite3.connect(source) as db:
        # SQLite itself stores -0.0 as the integer 0: what it holds is what must arrive.
        stored = [row[0] for row in db.execute("SELECT score FROM daily_performance ORDER BY id")]
    assert stored == floats
    result = run(capsys, *migrate_args(source, target))
    assert result.code == 0, result.err
    engine = create_engine(target)
    with engine.connect() as conn:
        scores = conn.execute(text("SELECT score, notes FROM daily_performance ORDER BY id")).all()
        assert [s for s, _ in scores] == stored
        assert [struct.pack(">d", s) for s, _ in scores] == [struct.pack(">d", f) for f in stored]
        assert [n for _, n in scores] == [texts[n % len(texts)] if n % 3 else None for n in range(1, 10)]
        conn.execute(text("SET TimeZone = 'UTC'"))
        times = conn.execute(text("SELECT created_at::text, updated_at::text FROM students")).one()
        assert times == ("2025-09-01 10:00:00.000001+00", "2025-09-01 10:30:00+00")
        course = conn.execute(
            text(
                "SELECT is_active, absence_penalty::text, passing_grade::text, evaluation_rules::text,"
                " updated_at::text FROM courses"
            )
        ).one()
        assert course == (
            True,
            "0.10",
            "9999.99",
            ' [{"w": 1.50, "σ": "\\u00e9"}] ',
            "2025-09-01 00:00:00+00",
        )
    engine.dispose()


def test_the_source_keeps_its_rows_stays_read_only_and_its_wal_rows_are_included(
    source: Path, target: URL, capsys
) -> None:
    seed(source, students=5)
    # A writer that stays open: its last rows live only in the -wal file, next to a live -shm.
    writer = sqlite3.connect(source, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute(
        "INSERT INTO students (student_id, first_name, last_name, email, enrollment_date, study_year,"
        " is_active, created_at, updated_at) VALUES ('WAL-1', 'Μόνο', 'στο WAL', 'wal@school.gr',"
        " '2025-09-01', 1, 1, '2025-09-01 00:00:00', '2025-09-01 00:00:00')"
    )
    try:
        assert Path(f"{source}-wal").stat().st_size > 0
        before = row_checksums.checksums(writer, school_plan().tables)
        result = run(capsys, *migrate_args(source, target))
        assert result.code == 0, result.err
        # The school's rows are only read; the one write is the read-only mode, which stays on.
        assert row_checksums.checksums(writer, school_plan().tables) == before
        read_only, reason, set_by = writer.execute(
            "SELECT read_only, reason, set_by FROM maintenance_mode"
        ).fetchone()
        assert read_only == 1 and reason == "moving to PostgreSQL" and "migrate_sqlite_to_postgres" in set_by
        assert "python -m backend.scripts.maintenance off --sqlite-path" in result.out
    finally:
        writer.close()
    engine = create_engine(target)
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT last_name FROM students WHERE student_id = 'WAL-1'")).scalar()
            == "στο WAL"
        )
        assert conn.execute(text("SELECT count(*) FROM students")).scalar() == 6
        # The flag is the source's own: the target is writable.
        assert conn.execute(text("SELECT count(*) FROM maintenance_mode")).scalar() == 0
    engine.dispose()


def test_a_source_at_an_older_revision_is_upgraded_in_a_copy(tmp_path: Path, target: URL, capsys) -> None:
    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{old}")
    migrations.upgrade(engine, "0001")
    engine.dispose()
    with sqlite3.connect(old) as db:
        db.execute(
            "INSERT INTO users (email, full_name, hashed_password, role, is_active, failed_login_attempts,"
            " created_at, updated_at) VALUES ('t@s.gr', 'Δάσκαλος', 'x', 'teacher', 1, 0,"
            " '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    before = file_hashes(old)
    result = run(capsys, *migrate_args(old, target))
    assert result.code == 0, result.err
    assert file_hashes(old) == before
    with sqlite3.connect(old) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    engine = create_engine(target)
    assert migrations.current_revision(engine) == migrations.head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT full_name FROM users")).scalar() == "Δάσκαλος"
    engine.dispose()


def test_a_source_at_an_unknown_revision_is_refused(source: Path, target: URL, capsys) -> None:
    with sqlite3.connect(source) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = target_state(target)
    result = run(capsys, *migrate_args(source, target))
    assert result.code == 3
    assert "9999_from_the_future" in result.err and "does not know" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert target_state(target) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sqlite-path", "/nonexistent/school.db"], "does not exist"),
        (["--sqlite-path", __file__], "is not a SQLite database"),
    ],
)
def test_a_bad_source_is_one_line_and_exit_2(args: list[str], message: str, target: URL, capsys) -> None:
    result = run(capsys, *args, "--postgres-url", target.render_as_string(hide_password=False))
    assert result.code == 2
    assert message in result.err and len(result.err.strip().splitlines()) == 1


def test_an_unreachable_server_is_one_line_with_the_password_masked(source: Path, capsys) -> None:
    url = "postgresql://sms:S3cr%21t-pass@127.0.0.1:1/school?connect_timeout=2"
    result = run(capsys, "--sqlite-path", str(source), "--postgres-url", url)
    assert result.code == 2
    assert "S3cr" not in result.out + result.err
    assert "***" in result.err and len(result.err.strip().splitlines()) == 1


def test_no_target_at_all_says_how_to_name_one(source: Path, capsys) -> None:
    result = run(capsys, "--sqlite-path", str(source))
    assert result.code == 2
    assert "--postgres-url" in result.err


def test_bad_batch_size_is_a_usage_error(source: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "--sqlite-path", str(source), "--batch-size", "0")
    assert exit_.value.code == 2
