"""Regressions found in review: the tool reads the app's file, refuses a bad report path up front."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import URL

from backend.config import REPO_ROOT, Settings
from backend.scripts.migrate_sqlite_to_postgres import resolve_source
from backend.tests.transfer.conftest import migrate_args, run, target_state


def test_a_relative_sqlite_database_url_means_the_apps_file_whatever_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the guide runs the tool from backend/
    settings = Settings(_env_file=None, ENVIRONMENT="development", DATABASE_URL="sqlite:///data/school.db")  # type: ignore[call-arg]
    assert resolve_source(None, settings) == REPO_ROOT / "data" / "school.db"
    assert settings.database.sqlite_path == REPO_ROOT / "data" / "school.db"


def test_an_unwritable_report_path_is_refused_before_anything_is_written(
    source: Path, target: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = target_state(target)
    result = run(capsys, *migrate_args(source, target, "--report-json", str(tmp_path / "missing" / "r.json")))
    assert result.code == 2
    assert "--report-json" in result.err and "does not exist or is not writable" in result.err
    assert target_state(target) == before
