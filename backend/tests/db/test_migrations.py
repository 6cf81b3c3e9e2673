from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, create_engine, inspect, text

from backend.db import migrations
from backend.models import Base

PASSWORD = "p@ss:w/rd%21#x"
REPO = Path(__file__).resolve().parents[3]


def test_models_and_migrations_agree(empty_database_url: URL) -> None:
    engine = create_engine(empty_database_url)
    try:
        migrations.upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_downgrade_and_upgrade_again(empty_database_url: URL, db_kind: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        assert migrations.current_revision(engine) is None
        migrations.upgrade(engine, "0001")
        assert migrations.current_revision(engine) == "0001"
        migrations.upgrade(engine)
        assert migrations.current_revision(engine) == migrations.head_revision()
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        migrations.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        if db_kind == "postgresql":
            with engine.connect() as conn:
                assert (
                    conn.execute(
                        text("SELECT count(*) FROM pg_type WHERE typname = 'attendance_status'")
                    ).scalar()
                    == 0
                )
        migrations.upgrade(engine)
        migrations.check(engine)
    finally:
        engine.dispose()


def _cli(action: str, url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SMS_ENV_FILE": "none", "DATABASE_URL": url, "SECRET_KEY": "k" * 40}
    return subprocess.run(
        [sys.executable, "-m", "backend.db.migrations", action],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_migrates_a_url_with_percent_signs_and_masks_the_password(
    empty_database_url: URL, tmp_path: Path
) -> None:
    url = (
        empty_database_url.set(password=PASSWORD)
        if empty_database_url.drivername.startswith("postgresql")
        else empty_database_url
    )
    raw = url.render_as_string(hide_password=False)
    check = _cli("check", raw, tmp_path)
    assert check.returncode == 3  # SCHEMA in backend/cli/exit_codes.py
    assert (
        "none (empty database)" in check.stderr and "python -m backend.db.migrations upgrade" in check.stderr
    )
    upgrade = _cli("upgrade", raw, tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    assert f"empty -> {migrations.head_revision()}" in upgrade.stdout
    current = _cli("current", raw, tmp_path)
    assert current.stdout.strip() == migrations.head_revision()
    assert _cli("check", raw, tmp_path).returncode == 0
    for result in (check, upgrade, current):
        assert PASSWORD not in result.stdout + result.stderr
        assert "p%40ss" not in result.stdout + result.stderr


def test_cli_reports_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    result = _cli("upgrade", "mysql://u:pw@h/d", tmp_path)
    assert result.returncode != 0
    assert "DATABASE_URL scheme 'mysql' is not supported" in result.stderr
    assert "Traceback" not in result.stderr
