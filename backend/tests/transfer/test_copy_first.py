"""Into empty tables the copy goes first; a problem still ends the run as a preflight run first would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, text

from backend.db import migrations
from backend.tests.transfer.conftest import migrate_args, run, seed, target_state, without_constraints
from backend.transfer import steps


def _report(capsys, source: Path, target: URL, path: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    result = run(capsys, *migrate_args(source, target, "--report-json", str(path), *extra))
    return result.code, json.loads(path.read_text())


def _spoil_the_last_table(source: Path) -> None:
    """One bad value in highlights, the last table copied: every other table is copied first."""
    db = sqlite3.connect(source, isolation_level=None)
    db.execute("UPDATE highlights SET rating = 'great' WHERE id = (SELECT max(id) FROM highlights)")
    db.close()


def test_a_problem_in_the_last_table_rolls_back_the_copy_and_reports_like_a_dry_run(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    seed(source, students=8)
    _spoil_the_last_table(source)
    engine = create_engine(target)
    migrations.upgrade(engine)  # empty tables at head: nothing to confirm, so the copy goes first
    engine.dispose()
    before = target_state(target)
    dry_code, dry = _report(capsys, source, target, tmp_path / "dry.json", "--dry-run")
    code, real = _report(capsys, source, target, tmp_path / "real.json")
    assert dry_code == code == 4
    assert dry["preflight"] == "first" and real["preflight"] == "on failure"
    assert target_state(target) == before
    assert real["problems"] == dry["problems"] and real["problems_total"] == 1
    assert real["problems"][0]["table"] == "highlights"
    assert real["problems"][0]["counts"] == [{"kind": "not_a_number", "column": "rating", "count": 1}]
    assert real["tables"] == dry["tables"]  # what was copied before the rollback is not reported
    assert all(table["rows_written"] == 0 for table in real["tables"])
    assert "nothing was written" in real["error"]


def test_a_clean_run_copies_first_and_needs_no_preflight(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    seed(source, students=4)
    code, report = _report(capsys, source, target, tmp_path / "report.json")
    assert code == 0
    assert report["preflight"] == "on failure" and "preflight" not in report["phases"]
    assert report["phases"]["copy"] > 0 and report["phases"]["verify"] > 0
    # The steps that took time, by their names, in their order (the target had no schema yet).
    timed = ["snapshot", "schema", "prepare", "copy", "constraints", "verify", "commit"]
    assert list(report["phases"]) == timed and set(timed) <= {step.name for step in steps.STEPS}
    assert report["problems_total"] == 0
    tables = {t["name"]: t for t in report["tables"]}
    with create_engine(target).connect() as conn:
        for name in ("students", "grades", "highlights"):
            rows = conn.execute(text(f"SELECT count(*) FROM {name}")).scalar()
            assert tables[name]["rows_read"] == tables[name]["rows_written"] == rows > 0


# Each kind of problem alone, in an otherwise clean school: whatever catches it first (PostgreSQL,
# the renderer or verification), the run ends with the preflight's finding, exit 4.
LONE_PROBLEMS = {
    "duplicate": ("email", "UPDATE students SET email = (SELECT min(email) FROM students) WHERE id = 2"),
    "too_long": ("student_id", "UPDATE students SET student_id = 'S' || hex(randomblob(40)) WHERE id = 1"),
    "nul_byte": ("notes", "UPDATE students SET notes = 'a' || char(0) || 'b' WHERE id = 1"),
    "wrong_type": ("notes", "UPDATE students SET notes = x'0001' WHERE id = 1"),
    "not_a_number": ("study_year", "UPDATE students SET study_year = '2nd' WHERE id = 1"),
    "out_of_range": ("study_year", "UPDATE students SET study_year = 3000000000 WHERE id = 1"),
    "not_a_boolean": ("is_active", "UPDATE students SET is_active = 't' WHERE id = 1"),
    "not_a_boolean-2": ("is_active", "UPDATE students SET is_active = 2 WHERE id = 1"),
    "bad_date": ("enrollment_date", "UPDATE students SET enrollment_date = '2025-9-1' WHERE id = 1"),
    "bad_date-today": ("enrollment_date", "UPDATE students SET enrollment_date = 'today' WHERE id = 1"),
    "bad_date-year": ("enrollment_date", "UPDATE students SET enrollment_date = '12025-09-01' WHERE id = 1"),
    "bad_datetime": ("created_at", "UPDATE students SET created_at = 'now' WHERE id = 1"),
    "bad_datetime-24h": ("created_at", "UPDATE students SET created_at = '2025-09-01 24:00:00' WHERE id = 1"),
    "not_null": ("first_name", "UPDATE students SET first_name = NULL WHERE id = 1"),
    "bad_json": ("evaluation_rules", "UPDATE courses SET evaluation_rules = '{\"a\": ' WHERE id = 1"),
    "not_in_enum": ("status", "UPDATE attendance SET status = 'sick' WHERE id = 1"),
    "orphan": ("student_id", "UPDATE attendance SET student_id = 999999 WHERE id = 1"),
    "not_a_number-float": ("score", "UPDATE daily_performance SET score = 'high' WHERE id = 1"),
}


@pytest.mark.parametrize("case", sorted(LONE_PROBLEMS))
def test_each_kind_of_problem_alone_is_caught_when_the_copy_goes_first(
    source: Path, target: URL, capsys, tmp_path: Path, case: str
) -> None:
    column, statement = LONE_PROBLEMS[case]
    seed(source, students=6)
    db = sqlite3.connect(source, isolation_level=None)
    if case in ("duplicate", "not_null"):
        without_constraints(db, "students")
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute(statement)
    db.close()
    before = target_state(target)
    code, report = _report(capsys, source, target, tmp_path / "report.json")
    assert code == 4, report["error"]
    assert report["preflight"] == "on failure"
    kinds = {(c["kind"], c["column"]) for table in report["problems"] for c in table["counts"]}
    assert (case.split("-")[0], column) in kinds, kinds
    assert target_state(target) == before
