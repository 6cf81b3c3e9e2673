"""A target that other sessions use is refused before anything is erased or written."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import URL

from backend.tests.transfer.conftest import migrate_args, run, seed, target_state


@pytest.fixture
def app_session(target: URL) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """Another program connected to the target, as the app would be."""
    dsn = target.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, application_name="sms-live-app") as connection:
        yield connection


def _mode(path: Path) -> tuple[object, ...] | None:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT read_only FROM maintenance_mode").fetchone()


def test_a_target_in_use_is_refused_and_left_untouched(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(source, students=12)
    # The target already holds a school: the refusal must come before the erasing.
    assert run(capsys, *migrate_args(source, target, "--keep-source-writable")).code == 0
    before = target_state(target)
    dsn = target.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, application_name="sms-live-app"), psycopg.connect(dsn, application_name="psql"):
        report = tmp_path / "report.json"
        result = run(capsys, *migrate_args(source, target, "--yes", "--report-json", str(report)))
        assert result.code == 2
        assert result.err.count("\n") == 1 and result.err.startswith("error: the target ")
        assert "is in use: 2 other session(s): 'psql' from " in result.err
        assert "'sms-live-app' from " in result.err and "(1)" in result.err
        assert "--force-live-target" in result.err and "nothing was written" in result.err
        sessions = json.loads(report.read_text())["target_sessions"]
        assert sorted(s["application_name"] for s in sessions) == ["psql", "sms-live-app"]
        assert all(s["count"] == 1 and s["client"] for s in sessions)
    assert target_state(target) == before
    # Refused before read-only mode was turned on: the source was never switched.
    assert _mode(source) == (0,)


def test_force_live_target_goes_on_and_says_so(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], app_session: object
) -> None:
    seed(source, students=6)
    result = run(capsys, *migrate_args(source, target, "--force-live-target"))
    assert result.code == 0, result.err
    assert "warning: the target is in use: 1 other session(s): 'sms-live-app' from " in result.err
    assert "going on (--force-live-target)" in result.err and "verified" in result.out


def test_a_dry_run_names_the_sessions_in_its_text_and_report(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], app_session: object, tmp_path: Path
) -> None:
    seed(source, students=3)
    report = tmp_path / "dry.json"
    result = run(capsys, *migrate_args(source, target, "--dry-run", "--report-json", str(report)))
    assert result.code == 0, result.err
    assert "the target is in use: 1 other session(s): 'sms-live-app' from " in result.err
    assert "a real run stops (exit 2) unless --force-live-target" in result.err
    data = json.loads(report.read_text())
    assert [s["application_name"] for s in data["target_sessions"]] == ["sms-live-app"]
    assert data["source_guard"] == {"read_only": "untouched (dry run)"}
    assert _mode(source) is None  # a dry run writes nothing to the source either


def test_an_idle_target_has_no_sessions_in_the_report(
    source: Path, target: URL, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(source, students=3)
    report = tmp_path / "report.json"
    assert run(capsys, *migrate_args(source, target, "--report-json", str(report))).code == 0
    assert json.loads(report.read_text())["target_sessions"] == []
