"""The copy may start before the preflight ends: a failed preflight still ends the run exactly as before."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, text

from backend.db import migrations
from backend.tests.transfer.conftest import migrate_args, run, seed, target_state
from backend.transfer import copy as copier
from backend.transfer import preflight


def _report(capsys, source: Path, target: URL, path: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    result = run(capsys, *migrate_args(source, target, "--report-json", str(path), *extra))
    return result.code, json.loads(path.read_text())


def _spoil_the_last_table(source: Path) -> None:
    """One bad value in highlights, the last table copied: every other table is copied first."""
    db = sqlite3.connect(source, isolation_level=None)
    db.execute("UPDATE highlights SET rating = 'great' WHERE id = (SELECT max(id) FROM highlights)")
    db.close()


def test_a_problem_in_the_last_table_rolls_back_the_copy_and_reports_like_a_dry_run(
    source: Path, target: URL, capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(source, students=8)
    _spoil_the_last_table(source)
    engine = create_engine(target)
    migrations.upgrade(engine)  # empty tables at head: nothing to confirm, so the copy overlaps
    engine.dispose()
    before = target_state(target)
    dry_code, dry = _report(capsys, source, target, tmp_path / "dry.json", "--dry-run")
    # A small school is checked in milliseconds: hold the preflight of highlights until every
    # other table has been copied, so the copy really runs ahead of the preflight.
    copied_the_rest = threading.Event()
    real_copy, real_check = copier.copy_table, preflight.check_table

    def copy_table(connection, source, table, **kwargs):  # type: ignore[no-untyped-def]
        if table.name == "highlights":
            copied_the_rest.set()
        return real_copy(connection, source, table, **kwargs)

    def check_table(connection, table, **kwargs):  # type: ignore[no-untyped-def]
        if table.name == "highlights":
            assert copied_the_rest.wait(30)
        return real_check(connection, table, **kwargs)

    monkeypatch.setattr(copier, "copy_table", copy_table)
    monkeypatch.setattr(preflight, "check_table", check_table)
    code, real = _report(capsys, source, target, tmp_path / "real.json")
    assert dry_code == code == 4
    assert target_state(target) == before
    assert real["problems"] == dry["problems"] and real["problems_total"] == 1
    assert real["problems"][0]["table"] == "highlights"
    assert real["problems"][0]["counts"] == [{"kind": "not_a_number", "column": "rating", "count": 1}]
    assert real["tables"] == dry["tables"]  # what was copied before the rollback is not reported
    assert all(table["rows_written"] == 0 for table in real["tables"])
    assert "nothing was written" in real["error"]


def test_a_clean_run_reports_the_preflight_and_the_copy(
    source: Path, target: URL, capsys, tmp_path: Path
) -> None:
    seed(source, students=4)
    code, report = _report(capsys, source, target, tmp_path / "report.json")
    assert code == 0
    assert report["phases"]["preflight"] > 0 and report["phases"]["copy"] > 0
    assert report["problems_total"] == 0
    tables = {t["name"]: t for t in report["tables"]}
    with create_engine(target).connect() as conn:
        for name in ("students", "grades", "highlights"):
            rows = conn.execute(text(f"SELECT count(*) FROM {name}")).scalar()
            assert tables[name]["rows_read"] == tables[name]["rows_written"] == rows > 0
