"""seed_demo: a deterministic demo school on both engines."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, text

from backend.db import migrations
from backend.scripts import seed_demo as script
from backend.scripts.seed_demo import SeedError, seed_demo
from backend.seed.accounts import demo_login_hint, demo_password
from backend.tests.conftest import TEST_SECRET_KEY
from backend.tests.transfer import row_checksums
from backend.transfer import verify
from backend.transfer.plan import build_plan
from backend.transfer.preflight import run_preflight


def _content(engine: Engine) -> dict[str, verify.Checksum]:
    """Per-table content checksums, computed the same way on either engine."""
    plan = build_plan()
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        assert path
        with sqlite3.connect(path) as connection:
            return row_checksums.checksums(connection, plan.tables)
    with engine.connect() as connection:
        connection.execute(text("SET TimeZone = 'UTC'"))
        return {t.name: row_checksums.target_checksum(connection, t) for t in plan.tables}


def test_same_seed_same_content_and_the_size_scales(database_url: URL, db_kind: str, tmp_path: Path) -> None:
    engine = create_engine(database_url)
    report = seed_demo(engine=engine, students=30, seed=11)
    first = _content(engine)
    engine.dispose()
    # Five courses a student, about three grades and four register marks in each.
    assert report.rows["students"] == 30 and report.rows["course_enrollments"] == 150
    assert 400 < report.rows["grades"] <= 450 and 500 < report.rows["attendance"] <= 600
    assert report.total_rows == sum(c.rows for c in first.values())

    again = tmp_path / "again.db"
    other = create_engine(f"sqlite:///{again}")
    migrations.upgrade(other)
    assert seed_demo(engine=other, students=30, seed=11).rows == report.rows
    # The same seed gives the same content on SQLite and on PostgreSQL alike.
    assert _content(other) == first
    with other.begin() as conn:
        for table in reversed(build_plan().tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))
    bigger = seed_demo(engine=other, students=60, seed=12)
    assert _content(other) != first
    assert bigger.rows["students"] == 60 and bigger.rows["course_enrollments"] == 300
    other.dispose()


def test_the_demo_is_awkward_but_valid(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    seed_demo(engine=engine, students=200)
    engine.dispose()
    with sqlite3.connect(path) as db:
        notes = {
            row[0] for row in db.execute("SELECT notes FROM students UNION SELECT notes FROM attendance")
        }
        assert {"", None, "\\."} <= notes
        assert any("\n" in n and "\t" in n for n in notes if n)
        assert any("🎓" in n for n in notes if n) and any("O'Brien" in n for n in notes if n)
        assert db.execute("SELECT count(*) FROM courses WHERE prerequisite_course_id > id").fetchone()[0] > 0
        assert db.execute("SELECT count(*) FROM grades WHERE weight = 0.30000000000000004").fetchone()[0] > 0
        assert db.execute("SELECT created_at FROM grades LIMIT 1").fetchone()[0][19] == "."
        assert db.execute("SELECT count(*) FROM students WHERE first_name GLOB '*[α-ω]*'").fetchone()[0] > 0
    findings = run_preflight(lambda: sqlite3.connect(path), build_plan().tables)
    assert sum(f.problem_count for f in findings) == 0


def test_it_refuses_a_database_that_holds_a_school(database_url: URL) -> None:
    engine = create_engine(database_url)
    seed_demo(engine=engine, students=3)
    with pytest.raises(SeedError, match="already holds rows"):
        seed_demo(engine=engine, students=3)
    engine.dispose()


def test_it_refuses_a_schema_behind_head(empty_database_url: URL) -> None:
    engine = create_engine(empty_database_url)
    with pytest.raises(SeedError, match="migrations upgrade"):
        seed_demo(engine=engine, students=3)
    engine.dispose()


def test_the_cli_migrates_seeds_and_prints_the_report(tmp_path: Path, capsys) -> None:
    path = tmp_path / "cli.db"
    assert script.main(["--sqlite-path", str(path), "--migrate", "--students", "5", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "students" in out and "seeded" in out
    assert script.main(["--sqlite-path", str(path), "--students", "5"]) == 2
    assert "already holds rows" in capsys.readouterr().err
    assert script.main(["--sqlite-path", str(path), "--students", "0"]) == 2


def test_make_seed_on_a_school_database_changes_nothing(tmp_path: Path, capsys) -> None:
    """`make seed` runs --migrate: a database holding a school, even behind head, is left as it was."""
    path = tmp_path / "school.db"
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine, "0005")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO students (id, student_id, first_name, last_name, email, enrollment_date,"
                " study_year, is_active, created_at, updated_at) VALUES (1, 'S1', 'Α', 'Β', 'a@school.gr',"
                " '2025-09-01', 1, 1, '2025-09-01 10:00:00.000000', '2025-09-01 10:00:00.000000')"
            )
        )
    engine.dispose()
    before = _dump(path)
    assert script.main(["--sqlite-path", str(path), "--migrate", "--students", "5"]) == 2
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1 and "students already holds rows" in err and "--sqlite-path data/demo.db" in err
    )
    assert _dump(path) == before  # still at 0005, still one student


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return list(db.iterdump())


def test_make_run_points_at_the_demo_accounts_when_the_school_is_the_demo(tmp_path: Path) -> None:
    """An active demo admin stops the app making DEFAULT_ADMIN_EMAIL's account: say whom to log in as."""
    path = tmp_path / "demo.db"
    engine = create_engine(f"sqlite:///{path}")
    assert demo_login_hint(engine, "admin@school.test") is None  # no tables yet
    migrations.upgrade(engine)
    assert demo_login_hint(engine, "admin@school.test") is None  # no demo
    seed_demo(engine=engine, students=3)
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": TEST_SECRET_KEY,
           "DEFAULT_ADMIN_EMAIL": "Admin@school.test", "ENVIRONMENT": "development"}  # fmt: skip
    shown = subprocess.run(
        [sys.executable, "scripts/print_login.py"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "demo-admin@school.gr" in shown and "DEFAULT_ADMIN_PASSWORD" not in shown
    assert demo_password(42) not in shown  # the password itself is printed once, by the seed only


def test_the_planner_has_statistics_for_the_new_rows(database_url: URL, db_kind: str) -> None:
    # Without them a freshly seeded PostgreSQL plans the dashboard's aggregates blind.
    engine = create_engine(database_url)
    seed_demo(engine=engine, students=30, seed=3)
    with engine.connect() as connection:
        if db_kind == "sqlite":
            analysed = connection.execute(text("SELECT count(DISTINCT tbl) FROM sqlite_stat1")).scalar_one()
            assert analysed >= 5
        else:
            never = connection.execute(
                text(
                    "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples < 0"
                    " AND relname IN ('students', 'courses', 'attendance', 'grades', 'course_enrollments')"
                )
            ).scalars()
            assert list(never) == []
    engine.dispose()
