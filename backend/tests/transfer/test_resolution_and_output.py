"""Where the tool finds its source and target, and what it prints."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import URL

from backend.config import Settings
from backend.scripts import migrate_sqlite_to_postgres as cli
from backend.tests.transfer.conftest import pg_url, run, seed
from backend.transfer.report import BarProgress, MigrationReport, TableReport

AWKWARD_PASSWORD = "p@ss%21w:rd/?#&x"


def _settings(monkeypatch: pytest.MonkeyPatch, **values: object) -> None:
    monkeypatch.setattr(
        cli, "load_tool_settings", lambda: Settings(_env_file=None, ENVIRONMENT="development", **values)
    )


def test_the_target_falls_back_to_postgres_settings_with_an_awkward_password(
    source: Path, target: URL, capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seed(source, students=2)
    host = target.host or str(target.query["host"])
    _settings(
        monkeypatch,
        DATABASE_ENGINE="postgresql",
        POSTGRES_HOST=host,
        POSTGRES_PORT=target.port or 5432,
        POSTGRES_DB=target.database,
        POSTGRES_USER=target.username,
        POSTGRES_PASSWORD=AWKWARD_PASSWORD,
    )
    report = tmp_path / "report.json"
    result = run(capsys, "--sqlite-path", str(source), "--report-json", str(report))
    assert result.code == 0, result.err
    everything = result.out + result.err + report.read_text()
    assert AWKWARD_PASSWORD not in everything and "p%40ss" not in everything
    assert f"/{target.database}" in json.loads(report.read_text())["target"]


def test_the_target_falls_back_to_database_url(
    source: Path, target: URL, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(source, students=2)
    _settings(monkeypatch, DATABASE_URL=pg_url(target))
    result = run(capsys, "--sqlite-path", str(source))
    assert result.code == 0, result.err


def test_the_source_defaults_to_the_settings_sqlite_path(
    source: Path, target: URL, capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seed(source, students=2)
    _settings(monkeypatch, SQLITE_PATH=str(source))
    report = tmp_path / "report.json"
    result = run(capsys, "--postgres-url", pg_url(target), "--report-json", str(report))
    assert result.code == 0, result.err
    assert json.loads(report.read_text())["source"] == str(source)


def test_a_sqlite_postgres_url_is_refused(source: Path, capsys) -> None:
    result = run(capsys, "--sqlite-path", str(source), "--postgres-url", f"sqlite:///{source}")
    assert result.code == 2 and "not a PostgreSQL URL" in result.err


def test_the_progress_bar_shows_rows_rate_and_time_left() -> None:
    stream = io.StringIO()
    bar = BarProgress(stream, interval=0)
    bar.start("attendance", 1000)
    bar.advance(250)
    bar.finish()
    shown = stream.getvalue()
    assert "attendance" in shown and "250/1,000" in shown and "rows/s" in shown and "ETA" in shown


def test_the_summary_has_a_line_per_table_and_totals() -> None:
    report = MigrationReport("s.db", "postgresql+psycopg://u:***@h/db", "truncate", False)
    report.tables = [TableReport("students", 10, 10, 0.5), TableReport("grades", 30, 30, 1.5)]
    report.phases = {"copy": 2.0}
    lines = report.summary().splitlines()
    assert lines[0].split() == ["table", "rows", "read", "rows", "written", "seconds", "rows/s"]
    assert lines[2].split()[:3] == ["students", "10", "10"]
    assert lines[-2].split()[:3] == ["total", "40", "40"]
    assert report.as_dict()["totals"]["rows_per_second"] == 20.0


def test_every_option_has_help() -> None:
    parser = cli.build_parser()
    for action in parser._actions:
        assert action.help, action.dest
