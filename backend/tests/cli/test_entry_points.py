"""The installed commands (pyproject's [project.scripts]) work, on both engines, without a SECRET_KEY,
and answer with the shared exit codes; each is the same program as its `python -m` form."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import URL

from backend.cli import exit_codes
from backend.config import REPO_ROOT, ConfigError, Settings, load_settings
from backend.db import migrations
from backend.tests.docs.test_cli_doc import documented_commands

BIN = Path(sys.executable).parent
# The `python -m` form of each command, as docs/CLI.md shows it.
PYTHON_M = documented_commands()


def entry_points() -> dict[str, str]:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["scripts"]


def clean_env(**values: str) -> dict[str, str]:
    """The process environment without any setting, reading no .env, plus `values`."""
    env = {k: v for k, v in os.environ.items() if k not in Settings.model_fields}
    return {**env, "SMS_ENV_FILE": "none", **values}


def run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / argv[0]), *argv[1:]]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_every_command_is_installed_and_has_a_python_m_form() -> None:
    assert set(entry_points()) == set(PYTHON_M)
    missing = [name for name in entry_points() if not (BIN / name).is_file()]
    assert not missing, f"{missing} not in {BIN}: run `make install` (pip install --no-deps -e .)"


@pytest.mark.parametrize("name", sorted(PYTHON_M))
def test_the_command_and_its_python_m_form_are_the_same_program(name: str, tmp_path: Path) -> None:
    env = clean_env(PYTHONPATH=str(REPO_ROOT))
    installed = run([name, "--help"], env, tmp_path)
    module = subprocess.run(
        [sys.executable, "-m", PYTHON_M[name], "--help"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == module.returncode == exit_codes.OK, installed.stderr + module.stderr
    assert installed.stdout == module.stdout


def test_sms_db_migrates_and_checks_without_a_secret_key(empty_database_url: URL, tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=empty_database_url.render_as_string(hide_password=False))
    check = run(["sms-db", "check"], env, tmp_path)
    assert check.returncode == exit_codes.SCHEMA, check.stderr
    assert check.stderr.startswith("error: the database schema is at revision none")
    upgrade = run(["sms-db", "upgrade"], env, tmp_path)
    assert upgrade.returncode == exit_codes.OK, upgrade.stderr
    assert f"empty -> {migrations.head_revision()}" in upgrade.stdout
    assert run(["sms-db", "check"], env, tmp_path).returncode == exit_codes.OK
    bad = run(["sms-db", "upgrade", "--revision", "nonesuch"], env, tmp_path)
    assert bad.returncode == exit_codes.USAGE and bad.stderr.count("\n") == 1, bad.stderr


def test_a_bad_setting_is_the_apps_one_line_and_exit_2_in_every_database_tool(tmp_path: Path) -> None:
    values = {"DATABASE_ENGINE": "postgresql", "POSTGRES_DB": "sms", "POSTGRES_USER": "sms"}
    env = clean_env(**values)
    with pytest.raises(ConfigError) as app:  # what the app itself would stop with
        load_settings(_env_file=None, POSTGRES_HOST=None, SECRET_KEY=secrets.token_urlsafe(48), **values)
    expected = str(app.value)
    assert "POSTGRES_HOST is not set" in expected
    for argv in (["sms-db", "current"], ["sms-backup", "list"], ["sms-seed", "--students", "1"]):
        result = run(argv, env, tmp_path)
        assert result.returncode == exit_codes.USAGE, (argv, result.stderr)
        assert expected in result.stderr and result.stderr.count("\n") == 1, (argv, result.stderr)
        assert "Traceback" not in result.stderr


def test_backup_and_seed_through_the_installed_commands(
    empty_database_url: URL, tmp_path: Path, db_kind: str
) -> None:
    env = clean_env(
        DATABASE_URL=empty_database_url.render_as_string(hide_password=False),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    seeded = run(["sms-seed", "--migrate", "--students", "3", "--json"], env, tmp_path)
    assert seeded.returncode == exit_codes.OK, seeded.stderr
    again = run(["sms-seed", "--students", "3"], env, tmp_path)
    assert again.returncode == exit_codes.USAGE and "already holds rows" in again.stderr
    made = run(["sms-backup", "create"], env, tmp_path)
    assert made.returncode == exit_codes.OK, made.stderr
    assert made.stdout.startswith(f"sms-{db_kind}-")
    listed = run(["sms-backup", "list"], env, tmp_path)
    assert listed.stdout.split()[0] == made.stdout.split()[0]
    refused = run(["sms-backup", "restore", made.stdout.split()[0]], env, tmp_path)
    assert refused.returncode == exit_codes.USAGE, refused.stderr  # no terminal, no --yes
    missing = run(["sms-backup", "restore", f"sms-{db_kind}-20000101-000000.nope", "--yes"], env, tmp_path)
    assert missing.returncode == exit_codes.USAGE and missing.stderr.startswith("error: ")


def test_sms_migrate_refuses_a_target_that_is_not_postgresql_with_exit_2(tmp_path: Path) -> None:
    result = run(["sms-migrate", "--postgres-url", f"sqlite:///{tmp_path / 'x.db'}"], clean_env(), tmp_path)
    assert result.returncode == exit_codes.USAGE, result.stdout + result.stderr
    assert result.stderr == (
        "error: --postgres-url is not a PostgreSQL URL: use postgresql+psycopg://user:pass@host/db\n"
    )
