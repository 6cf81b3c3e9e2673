"""Preflight: every kind of value PostgreSQL would refuse is found and named, and nothing is written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import URL

from backend.tests.transfer.conftest import migrate_args, run, target_state, without_constraints

STUDENT = (
    "INSERT INTO students (id, student_id, first_name, last_name, email, enrollment_date, study_year, "
    "is_active, created_at, updated_at) VALUES (?, ?, 'Α', 'Β', ?, '2025-09-01', 1, 1, "
    "'2025-09-01 00:00:00', '2025-09-01 00:00:00')"
)


def _broken_source(path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA ignore_check_constraints = ON")
    without_constraints(db, "students")
    db.execute(STUDENT, (1, "S1", "one@school.gr"))
    db.execute(STUDENT, (2, "S2", "dup@school.gr"))
    db.execute(STUDENT, (3, "S3", "dup@school.gr"))  # duplicate email
    db.execute(STUDENT, (4, "S4" + "x" * 60, "long@school.gr"))  # student_id longer than 50
    db.execute(STUDENT, (5, "S5", "nul@school.gr"))
    db.execute("UPDATE students SET notes = ? WHERE id = 5", ("bad\x00byte",))
    db.execute(STUDENT, (6, "S6", "text@school.gr"))
    db.execute("UPDATE students SET study_year = 'second' WHERE id = 6")  # text in an integer column
    db.execute(STUDENT, (7, "S7", "big@school.gr"))
    db.execute("UPDATE students SET study_year = 3000000000 WHERE id = 7")  # beyond int4
    db.execute(STUDENT, (8, "S8", "bool@school.gr"))
    db.execute("UPDATE students SET is_active = 'yes' WHERE id = 8")
    db.execute(STUDENT, (9, "S9", "date@school.gr"))
    db.execute("UPDATE students SET enrollment_date = '2025-02-30' WHERE id = 9")
    db.execute(STUDENT, (10, "S10", "time@school.gr"))
    db.execute("UPDATE students SET created_at = 'yesterday at noon' WHERE id = 10")
    db.execute(STUDENT, (11, "S11", "null@school.gr"))
    db.execute("UPDATE students SET first_name = NULL WHERE id = 11")
    db.execute(
        "INSERT INTO courses (id, course_code, course_name, credits, semester, year, hours_per_week,"
        " absence_penalty, max_grade, passing_grade, is_active, created_at, updated_at, evaluation_rules)"
        " VALUES (1, 'C1', 'c', 3, 's', 2025, 3.0, 0, 100, 50, 1, '2025-09-01 00:00:00',"
        " '2025-09-01 00:00:00', '{\"weights\": [60, 40')"  # invalid JSON
    )
    db.execute(
        "INSERT INTO attendance (id, student_id, course_id, date, status, period_number, created_at,"
        " updated_at) VALUES (1, 1, 1, '2025-09-02', 'sick', 1, '2025-09-02 08:00:00',"
        " '2025-09-02 08:00:00'),"
        " (2, 999, 1, '2025-09-02', 'present', 1, '2025-09-02 08:00:00', '2025-09-02 08:00:00')"
    )
    db.close()


def test_every_kind_of_problem_is_found_named_and_nothing_written(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    _broken_source(source)
    before = target_state(target)
    report_path = tmp_path / "report.json"
    result = run(capsys, *migrate_args(source, target, "--report-json", str(report_path)))
    assert result.code == 4, result.err
    assert "nothing was written" in result.err
    assert target_state(target) == before
    report = json.loads(report_path.read_text())
    found = {
        (table["table"], example["kind"], example["column"], json.dumps(example["primary_key"])): example
        for table in report["problems"]
        for example in table["examples"]
    }
    expected = {
        ("students", "duplicate", "email", '{"id": 2}'),
        ("students", "duplicate", "email", '{"id": 3}'),
        ("students", "too_long", "student_id", '{"id": 4}'),
        ("students", "nul_byte", "notes", '{"id": 5}'),
        ("students", "not_a_number", "study_year", '{"id": 6}'),
        ("students", "out_of_range", "study_year", '{"id": 7}'),
        ("students", "not_a_boolean", "is_active", '{"id": 8}'),
        ("students", "bad_date", "enrollment_date", '{"id": 9}'),
        ("students", "bad_datetime", "created_at", '{"id": 10}'),
        ("students", "not_null", "first_name", '{"id": 11}'),
        ("courses", "bad_json", "evaluation_rules", '{"id": 1}'),
        ("attendance", "not_in_enum", "status", '{"id": 1}'),
        ("attendance", "orphan", "student_id", '{"id": 2}'),
    }
    assert expected <= set(found), expected - set(found)
    assert found[("students", "not_a_boolean", "is_active", '{"id": 8}')]["value"] == "'yes'"
    assert found[("attendance", "orphan", "student_id", '{"id": 2}')]["value"] == "999"
    assert "students" in found[("attendance", "orphan", "student_id", '{"id": 2}')]["message"]
    assert report["problems_total"] == 13
    # The text report names table, column, key and value too.
    assert "students.is_active: not_a_boolean x1" in result.out
    assert "id=8: 'yes'" in result.out


def test_only_the_first_twenty_of_a_kind_are_listed_but_all_are_counted(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    db = sqlite3.connect(source, isolation_level=None)
    for n in range(1, 31):
        db.execute(STUDENT, (n, f"S{n}", f"s{n}@school.gr"))
    db.execute("UPDATE students SET study_year = 'πρώτο'")
    db.close()
    report_path = tmp_path / "report.json"
    result = run(capsys, *migrate_args(source, target, "--report-json", str(report_path), "--dry-run"))
    assert result.code == 4
    table = json.loads(report_path.read_text())["problems"][0]
    assert table["problem_count"] == 30 and len(table["examples"]) == 20
    assert table["counts"] == [{"kind": "not_a_number", "column": "study_year", "count": 30}]


TERM = (
    "INSERT INTO terms (id, academic_year_id, name, starts_on, ends_on, is_current, created_at, updated_at)"
    " VALUES (?, 1, ?, '2026-09-01', '2027-01-31', ?, '2026-09-01 00:00:00', '2026-09-01 00:00:00')"
)


def _school_year(path: Path, *, current_terms: int) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(
        "INSERT INTO academic_years (id, name, starts_on, ends_on, is_current, created_at, updated_at)"
        " VALUES (1, '2026-2027', '2026-09-01', '2027-06-30', 1, '2026-09-01 00:00:00',"
        " '2026-09-01 00:00:00')"
    )
    if current_terms > 1:  # a hand-edited file that lost the one-current-term index
        db.execute("DROP INDEX uq_terms_is_current")
    for n, name in enumerate(("Fall", "Winter", "Spring"), start=1):
        db.execute(TERM, (n, name, n <= current_terms))
    db.close()


def test_a_partial_unique_index_counts_only_the_rows_it_covers(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    # Many terms are not current: only the current ones must be unique.
    _school_year(source, current_terms=1)
    report_path = tmp_path / "report.json"
    result = run(capsys, *migrate_args(source, target, "--report-json", str(report_path), "--dry-run"))
    assert result.code == 0, result.err
    assert json.loads(report_path.read_text())["problems"] == []


def test_two_current_terms_in_a_damaged_source_are_named(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    _school_year(source, current_terms=2)
    before = target_state(target)
    report_path = tmp_path / "report.json"
    result = run(capsys, *migrate_args(source, target, "--report-json", str(report_path)))
    assert result.code == 4, result.err
    assert target_state(target) == before
    (table,) = json.loads(report_path.read_text())["problems"]
    assert table["table"] == "terms"
    assert table["counts"] == [{"kind": "duplicate", "column": "is_current", "count": 2}]
    assert "among the rows where is_current" in table["examples"][0]["message"]
