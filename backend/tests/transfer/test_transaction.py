"""One transaction: failures, kills, corruption and refusals leave the target exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, text

from backend.db import migrations
from backend.tests.transfer.conftest import migrate_args, pg_url, run, seed, target_state
from backend.transfer import load


@pytest.fixture
def migrated(source: Path, target: URL, capsys) -> URL:
    """A target that already went through one successful migration of a small school."""
    seed(source, students=12)
    result = run(capsys, *migrate_args(source, target))
    assert result.code == 0, result.err
    return target


def _tamper_in_flight(monkeypatch: pytest.MonkeyPatch, change: Callable[[bytes], bytes]) -> None:
    """Pass every batch of COPY text through ``change`` on its way to PostgreSQL."""
    real = load.write_batch
    monkeypatch.setattr(load, "write_batch", lambda copy, data: real(copy, change(data)))


def test_a_failure_mid_copy_rolls_everything_back(
    source: Path, migrated: URL, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = target_state(migrated)

    def failing(data: bytes) -> bytes:
        if any(f"\t{status}\t".encode() in data for status in ("present", "absent", "late", "excused")):
            raise RuntimeError("disk full, say")  # while attendance, the fourth table, is copied
        return data

    _tamper_in_flight(monkeypatch, failing)
    result = run(capsys, *migrate_args(source, migrated, "--yes"))
    assert result.code == 1
    assert "disk full" in result.err and "Traceback" not in result.err
    assert target_state(migrated) == before


def test_a_value_corrupted_in_flight_fails_verification(
    source: Path, migrated: URL, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = target_state(migrated)

    def corrupting(data: bytes) -> bytes:
        first, rest = data.split(b"\n", 1)
        fields = first.split(b"\t")
        if fields[1].startswith(b"S2025"):
            fields[2] += b"!"  # students.first_name of the first row
        return b"\t".join(fields) + b"\n" + rest

    _tamper_in_flight(monkeypatch, corrupting)
    result = run(capsys, *migrate_args(source, migrated, "--yes"))
    assert result.code == 5, result.err
    assert "students" in result.err and "rolled back" in result.err
    assert target_state(migrated) == before


def test_a_trigger_altering_rows_on_insert_fails_verification(source: Path, target: URL, capsys) -> None:
    seed(source, students=5)
    engine = create_engine(target)
    migrations.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION shout() RETURNS trigger AS $$ BEGIN NEW.last_name := upper(NEW.last_name);"
                " RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(
            text("CREATE TRIGGER shout BEFORE INSERT ON students FOR EACH ROW EXECUTE FUNCTION shout()")
        )
    engine.dispose()
    before = target_state(target)
    result = run(capsys, *migrate_args(source, target, "--skip-migrations"))
    assert result.code == 5, result.out + result.err
    assert "students: the content differs" in result.err
    assert target_state(target) == before


def test_sigkill_during_the_largest_table_leaves_the_target_as_it_was(
    source: Path, migrated: URL, tmp_path: Path, capsys
) -> None:
    big = tmp_path / "big.db"
    big.write_bytes(Path(source).read_bytes())
    engine = create_engine(f"sqlite:///{big}")
    with engine.begin() as conn:
        for table in (
            "audit_log",
            "highlights",
            "daily_performance",
            "attendance",
            "grades",
            "course_enrollments",
            "course_teachers",
            "students",
            "courses",
            "terms",
            "academic_years",
            "users",
        ):
            conn.execute(text(f"DELETE FROM {table}"))
    engine.dispose()
    seed(big, students=1500)
    before = target_state(migrated)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.scripts.migrate_sqlite_to_postgres",
            *migrate_args(big, migrated, "--yes"),
            "--log-level",
            "INFO",
            "--batch-size",
            "200",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ENVIRONMENT": "development"},
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "copying attendance" in line:
            break
    watcher = create_engine(migrated)
    deadline = time.monotonic() + 20
    with watcher.connect() as conn:
        while time.monotonic() < deadline:
            copied = conn.execute(
                text(
                    "SELECT max(p.tuples_processed) FROM pg_stat_progress_copy p JOIN pg_stat_activity a"
                    " USING (pid) WHERE a.query LIKE 'COPY \"attendance\"%'"
                )
            ).scalar()
            if copied:
                break
            conn.rollback()
            time.sleep(0.005)
    assert copied, "the copy of attendance was never seen in progress"
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert process.returncode == -signal.SIGKILL
    # The server notices the dropped connection and rolls the transaction back.
    with watcher.connect() as conn:
        for _ in range(200):
            busy = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND query LIKE 'COPY%'"),
                {"db": migrated.database},
            ).scalar()
            if not busy:
                break
            conn.rollback()
            time.sleep(0.05)
    watcher.dispose()
    assert target_state(migrated) == before
    rerun = run(capsys, *migrate_args(big, migrated, "--yes"))
    assert rerun.code == 0, rerun.err
    with create_engine(migrated).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM students")).scalar() == 1500


def test_rows_in_the_target_need_yes_and_are_listed(source: Path, migrated: URL, capsys) -> None:
    before = target_state(migrated)
    result = run(capsys, *migrate_args(source, migrated))  # stdin is not a terminal under pytest
    assert result.code == 2
    assert "students (12 rows)" in result.err and "--yes" in result.err
    assert target_state(migrated) == before
    assert run(capsys, *migrate_args(source, migrated, "--yes")).code == 0


def test_a_table_subset_never_erases_unselected_tables(source: Path, migrated: URL, capsys) -> None:
    before = target_state(migrated)
    refused = run(capsys, *migrate_args(source, migrated, "--tables", "students", "--yes"))
    assert refused.code == 2
    assert "attendance (" in refused.err and "grades (" in refused.err and "not selected" in refused.err
    assert target_state(migrated) == before
    only_grades = run(capsys, *migrate_args(source, migrated, "--tables", "grades", "nonsense", "--yes"))
    assert only_grades.code == 0, only_grades.err
    assert "'nonsense' does not exist" in only_grades.err
    after = target_state(migrated)
    assert {k: v for k, v in after.items() if k != "grades"} == {
        k: v for k, v in before.items() if k != "grades"
    }
    assert after["grades"] == before["grades"]


def test_append_mode_names_the_conflicting_key_and_writes_nothing(
    source: Path, migrated: URL, capsys
) -> None:
    before = target_state(migrated)
    result = run(capsys, *migrate_args(source, migrated, "--no-truncate", "--tables", "users"))
    assert result.code == 4
    assert "users:" in result.err and "Key (id)=(" in result.err and "already exists" in result.err
    assert target_state(migrated) == before


def test_append_mode_adds_rows_next_to_existing_ones(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    seed(source, students=3)
    assert run(capsys, *migrate_args(source, target)).code == 0
    other = tmp_path / "other.db"
    other.write_bytes(source.read_bytes())
    engine = create_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET id = id + 1000"))
    engine.dispose()
    result = run(capsys, *migrate_args(other, target, "--no-truncate", "--tables", "audit_log"))
    assert result.code == 0, result.err
    with create_engine(target).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 20
        assert conn.execute(text("SELECT nextval('audit_log_id_seq')")).scalar() == 1011


def test_dry_run_writes_nothing_and_needs_no_schema(source: Path, target: URL, capsys) -> None:
    seed(source, students=4)
    before = target_state(target)
    result = run(capsys, *migrate_args(source, target, "--dry-run", "--skip-migrations"))
    assert result.code == 0, result.err
    assert "students" in result.out and "dry run" in result.out
    assert "a real run with --skip-migrations would stop" in result.err
    assert target_state(target) == before


def test_dry_run_lists_what_would_be_erased(source: Path, migrated: URL, capsys) -> None:
    before = target_state(migrated)
    result = run(capsys, *migrate_args(source, migrated, "--dry-run"))
    assert result.code == 0, result.err
    assert "would erase: " in result.out and "students (12 rows)" in result.out
    assert target_state(migrated) == before


def test_skip_migrations_needs_the_target_at_head(source: Path, target: URL, capsys) -> None:
    result = run(capsys, *migrate_args(source, target, "--skip-migrations"))
    assert result.code == 3
    assert "--skip-migrations needs the target schema at" in result.err


def test_quiet_without_a_terminal_prints_no_progress(source: Path, target: URL, capsys) -> None:
    seed(source, students=3)
    result = run(capsys, *migrate_args(source, target))
    assert result.code == 0
    assert "rows/s" not in result.err and "ETA" not in result.err
    assert pg_url(target).split("@")[1] in result.out


def test_an_unexpected_error_shows_its_trace_only_with_debug(
    source: Path, target: URL, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(source, students=2)

    def broken(copy, data):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr(load, "write_batch", broken)
    quiet = run(capsys, *migrate_args(source, target))
    assert quiet.code == 1 and quiet.err.strip().splitlines()[-1] == "error: RuntimeError: a bug"
    assert "Traceback" not in quiet.err
    loud = run(capsys, *migrate_args(source, target, "--log-level", "DEBUG"))
    assert loud.code == 1 and "Traceback" in loud.err and "a bug" in loud.err
