"""Damaged sources are named, never crashed on: text that is not UTF-8, a malformed page."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, text

from backend.tests.transfer.conftest import migrate_args, run, seed, target_state

GREEK = "Γιάννης"
CP1253 = GREEK.encode("windows-1253")  # b'\xc3\xe9\xdc\xed\xed\xe7\xf2'
# 0x81 and 0xff mean nothing in Windows-1253, and neither byte starts valid UTF-8 here.
NEITHER = b"\x81abc\xff"


def _store_bytes(path: Path, table: str, column: str, row_id: int, value: bytes) -> None:
    """What an old client or a hand edit does: raw bytes stored as TEXT."""
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE {table} SET {column} = CAST(? AS TEXT) WHERE id = ?", (value, row_id))
        assert db.execute(f"SELECT typeof({column}) FROM {table} WHERE id = ?", (row_id,)).fetchone() == (
            "text",
        )


@pytest.mark.parametrize("dry_run", [False, True], ids=["copy-first", "dry-run"])
def test_text_that_is_not_utf8_is_a_finding_of_its_own(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], tmp_path: Path, dry_run: bool
) -> None:
    seed(source, students=10)
    _store_bytes(source, "students", "first_name", 3, CP1253)
    _store_bytes(source, "attendance", "notes", 7, CP1253 + b" \\ ok")
    before = target_state(target)
    report_path = tmp_path / "report.json"
    extra = ["--dry-run"] if dry_run else []
    result = run(capsys, *migrate_args(source, target, "--report-json", str(report_path), *extra))
    assert result.code == 4, result.err
    assert "Traceback" not in result.err and "Could not decode" not in result.err + result.out
    assert "students.first_name: not_utf8 x1" in result.out
    assert "    id=3: b'\\xc3\\xe9\\xdc\\xed\\xed\\xe7\\xf2' - text that is not UTF-8" in result.out
    assert "--source-encoding windows-1253" in result.out
    assert "attendance.notes: not_utf8 x1" in result.out
    assert "    id=7: b'\\xc3\\xe9\\xdc\\xed\\xed\\xe7\\xf2 \\\\ ok'" in result.out
    problems = {p["table"]: p for p in json.loads(report_path.read_text())["problems"]}
    assert problems["students"]["examples"][0]["primary_key"] == {"id": 3}
    assert problems["students"]["counts"] == [{"kind": "not_utf8", "column": "first_name", "count": 1}]
    assert target_state(target) == before


def test_source_encoding_converts_such_text_and_counts_it(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(source, students=10)
    _store_bytes(source, "students", "first_name", 3, CP1253)
    _store_bytes(source, "students", "last_name", 4, "Παπαδόπουλος".encode("windows-1253"))
    _store_bytes(source, "attendance", "notes", 7, CP1253)
    report_path = tmp_path / "report.json"
    args = migrate_args(
        source, target, "--source-encoding", "windows-1253", "--report-json", str(report_path)
    )
    result = run(capsys, *args)
    assert result.code == 0, result.err
    assert "converted 3 text value(s) from windows-1253 to UTF-8 (students 2, attendance 1)" in result.out
    report = json.loads(report_path.read_text())
    assert report["source_encoding"] == {
        "encoding": "windows-1253",
        "converted": {"students": 2, "attendance": 1},
        "total": 3,
    }
    engine = create_engine(target)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT first_name FROM students WHERE id = 3")).scalar() == GREEK
        assert (
            connection.execute(text("SELECT last_name FROM students WHERE id = 4")).scalar() == "Παπαδόπουλος"
        )
        assert connection.execute(text("SELECT notes FROM attendance WHERE id = 7")).scalar() == GREEK
    engine.dispose()


def test_text_in_neither_encoding_is_still_a_finding(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(source, students=4)
    _store_bytes(source, "students", "first_name", 2, NEITHER)
    _store_bytes(source, "students", "last_name", 3, CP1253)  # converts: not a finding
    result = run(capsys, *migrate_args(source, target, "--source-encoding", "windows-1253"))
    assert result.code == 4, result.err
    assert "students.first_name: not_utf8 x1" in result.out and "students.last_name" not in result.out
    assert "id=2: b'\\x81abc\\xff' - text that is neither UTF-8 nor windows-1253" in result.out


@pytest.mark.parametrize("codec", ["no-such-codec", "base64"])
def test_an_unknown_encoding_is_one_line_and_exit_2(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], codec: str
) -> None:
    result = run(capsys, *migrate_args(source, target, "--source-encoding", codec))
    assert result.code == 2 and result.err.count("\n") == 1
    assert f"--source-encoding '{codec}' is not a text encoding Python knows" in result.err


def test_a_malformed_page_is_one_line_and_exit_2(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(source, students=300)
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(source.read_bytes())
    with sqlite3.connect(damaged) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'attendance'").fetchone()[0]
    data = bytearray(damaged.read_bytes())
    # The b-tree page header of the table's root: an impossible page type, and garbage after it.
    start = (root - 1) * page_size
    data[start : start + 64] = b"\x77" * 64
    damaged.write_bytes(bytes(data))
    before = target_state(target)
    result = run(capsys, *migrate_args(damaged, target))
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "is damaged (database disk image is malformed)" in result.err
    assert "restore it from a backup" in result.err and "nothing was written" in result.err
    assert target_state(target) == before
    with sqlite3.connect(damaged) as db:  # read-only mode was put back
        assert db.execute("SELECT read_only FROM maintenance_mode").fetchone() == (0,)
