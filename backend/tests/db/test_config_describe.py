"""`python -m backend.config describe`: the app's own answer, which the Docker wrappers act on.

Run as the wrappers run it, as a process reading one .env and nothing else from the caller.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backend.config import ConfigError, load_settings
from backend.serve import machine_cores
from backend.tests.ops.sh_harness import REPO

PASSWORD = "Pw-3xample-not-to-leak"
SECRET = "secret-key-that-must-stay-hidden-0123456789"


def describe(tmp_path: Path, env_text: str, *flags: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / ".env").write_text(env_text)
    env = {
        "PATH": os.environ["PATH"],
        "SMS_ENV_FILE": str(tmp_path / ".env"),
        "SQLITE_PATH": "/app/data/sms.db",
    }
    command = [sys.executable, "-m", "backend.config", "describe", *flags]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)


def report(tmp_path: Path, env_text: str, *flags: str) -> tuple[int, dict[str, Any]]:
    result = describe(tmp_path, env_text, "--json", *flags)
    assert result.stderr == ""
    return result.returncode, json.loads(result.stdout)


def test_sqlite_by_default_in_production_without_a_secret_key(tmp_path: Path) -> None:
    result = describe(tmp_path, "ENVIRONMENT=production\n")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "engine: sqlite\nurl: sqlite:////app/data/sms.db\n"
        "resolved from: default (no DATABASE_ENGINE or DATABASE_URL), SQLITE_PATH\n"
        f"workers: {machine_cores()} in the image (one per core), 1 for make run (WEB_CONCURRENCY unset)\n"
    )


def test_postgresql_is_the_apps_own_resolution_with_secrets_masked(tmp_path: Path) -> None:
    env_text = (
        f"DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=pg.example.org\nPOSTGRES_DB=sms\nPOSTGRES_USER=sms\n"
        f"POSTGRES_PASSWORD={PASSWORD}\nPOSTGRES_OPTIONS=sslpassword={PASSWORD}\nSECRET_KEY={SECRET}\n"
    )
    code, found = report(tmp_path, env_text)
    app = load_settings(_env_file=tmp_path / ".env", ENVIRONMENT="development").database
    assert code == 0
    assert found == {
        "engine": "postgresql",
        "url": app.masked_url,
        "host": "pg.example.org",
        "resolved_from": app.resolved_from,
        "warnings": [],
        "problems": [],
        "workers": None,
        "cores": machine_cores(),
        "pgbouncer": False,
    }
    assert (
        found["url"] == "postgresql+psycopg://sms:***@pg.example.org:5432/sms?sslmode=prefer&sslpassword=***"
    )
    text = describe(tmp_path, env_text).stdout + json.dumps(found)
    assert PASSWORD not in text and SECRET not in text


@pytest.mark.parametrize(
    ("env_text", "problem"),
    [
        (
            f"DATABASE_ENGINE=sqlite\nDATABASE_URL=postgres://u:{PASSWORD}@pg/sms\n",
            "DATABASE_ENGINE=sqlite contradicts DATABASE_URL, which is a postgresql URL "
            "(postgresql+psycopg://u:***@pg/sms): make them agree, or leave one of them blank",
        ),
        ("DATABASE_ENGINE=postgresql\n", "DATABASE_ENGINE=postgresql but POSTGRES_HOST, POSTGRES_DB, "),
        ("DATABASE_ENGINE=mysql\n", "DATABASE_ENGINE='mysql' is not valid: use 'sqlite' or 'postgresql'"),
        ("POSTGRES_PORT=five\n", "POSTGRES_PORT: Input should be a valid integer"),
        (
            f"DATABASE_URL=postgresql://u:{PASSWORD}@/sms\n",
            "DATABASE_URL postgresql://u:***@/sms names no host",
        ),
    ],
)
def test_a_setting_that_stops_the_app_is_its_one_line_and_exit_2(
    tmp_path: Path, env_text: str, problem: str
) -> None:
    code, found = report(tmp_path, env_text)
    assert (code, found["engine"], found["url"]) == (2, None, None)
    (message,) = found["problems"]
    assert message.startswith(problem) and PASSWORD not in message
    with pytest.raises(ConfigError) as stopped:
        load_settings(_env_file=tmp_path / ".env", ENVIRONMENT="development")
    assert str(stopped.value) == message
    text = describe(tmp_path, env_text)
    assert (text.returncode, text.stdout) == (2, f"error: {message}\n")


def test_an_at_sign_in_a_url_password_is_refused_before_it_shows(tmp_path: Path) -> None:
    # SQLAlchemy ends the password at its first '@': the rest would be shown as the host.
    code, found = report(tmp_path, "DATABASE_URL=postgresql://u:Pw@rd-not-to-leak@pg/sms\n")
    assert (code, found["url"], found["host"]) == (2, None, None)
    assert found["problems"] == [
        "DATABASE_URL has an '@' in its password: write it as %40 (percent-encode special characters)"
    ]


def test_the_apps_warning_is_passed_on(tmp_path: Path) -> None:
    code, found = report(tmp_path, "POSTGRES_HOST=pg.internal\n", "--compose")
    assert (code, found["engine"], found["bundled"], found["compose_environment"]) == (0, "sqlite", False, {})
    assert found["warnings"] == [
        "POSTGRES_HOST is set but the engine is SQLite, so they are ignored: "
        "set DATABASE_ENGINE=postgresql to use PostgreSQL"
    ]


@pytest.mark.parametrize(
    ("env_text", "host", "bundled"),
    [
        ("DATABASE_ENGINE=postgresql\n", "db", True),
        ("DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=DB\n", "DB", True),
        ("DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=db.example.org\n", "db.example.org", False),
        (f"DATABASE_URL=postgres://sms_user:{PASSWORD}@db/sms\n", "db", True),
        (f"DATABASE_URL=postgresql+psycopg://u:{PASSWORD}@/sms?host=db\n", "db", True),
        (f"DATABASE_URL=postgresql://u:{PASSWORD}@[2001:db8::5]:5432/sms\n", "2001:db8::5", False),
        ("DATABASE_URL=postgresql://u:p%40ss@rds.example.com/sms?host_hint=db\n", "rds.example.com", False),
    ],
)
def test_compose_names_the_server_and_whether_it_is_the_bundled_db(
    tmp_path: Path, env_text: str, host: str, bundled: bool
) -> None:
    code, found = report(tmp_path, env_text, "--compose")
    assert code == 0, found
    assert (found["host"], found["bundled"]) == (host, bundled)
    if env_text.startswith("DATABASE_ENGINE"):
        assert found["compose_environment"] == {
            "POSTGRES_HOST": host,
            "POSTGRES_PORT": "5432",
            "POSTGRES_DB": "student_management",
            "POSTGRES_USER": "sms_user",
        }
    assert PASSWORD not in json.dumps(found)


def test_compose_defaults_are_not_the_apps_without_compose(tmp_path: Path) -> None:
    code, found = report(tmp_path, "DATABASE_ENGINE=postgresql\nPOSTGRES_PASSWORD=x\n", "--compose")
    assert (
        code == 0
        and found["url"] == "postgresql+psycopg://sms_user:***@db:5432/student_management?sslmode=prefer"
    )
    assert report(tmp_path, "DATABASE_ENGINE=postgresql\n")[0] == 2


def test_compose_warns_that_localhost_is_the_app_container(tmp_path: Path) -> None:
    result = describe(tmp_path, "DATABASE_ENGINE=postgresql\nPOSTGRES_HOST=localhost\n", "--compose")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-6:] == [
        "bundled db: no",
        "container env: POSTGRES_HOST=localhost",
        "container env: POSTGRES_PORT=5432",
        "container env: POSTGRES_DB=student_management",
        "container env: POSTGRES_USER=sms_user",
        "warning: POSTGRES_HOST=localhost is the app container itself; the compose server is 'db' "
        "(leave POSTGRES_HOST blank)",
    ]


def test_workers_and_pgbouncer_are_shown_as_set(tmp_path: Path) -> None:
    env_text = (
        "DATABASE_URL=postgresql://sms@bouncer.example.org:6432/sms\nWEB_CONCURRENCY=3\nPOSTGRES_PGBOUNCER=true\n"
        "POSTGRES_DIRECT_URL=postgresql://sms@db.example.org:5432/sms\n"
    )
    lines = describe(tmp_path, env_text).stdout.splitlines()
    assert "workers: 3 (WEB_CONCURRENCY)" in lines
    assert "pgbouncer: yes (no prepared statements, timeouts set per transaction)" in lines
    code, found = report(tmp_path, env_text)
    assert (code, found["workers"], found["pgbouncer"]) == (0, 3, True)


def test_zero_workers_is_refused_in_one_line(tmp_path: Path) -> None:
    result = describe(tmp_path, "WEB_CONCURRENCY=0\n")
    assert result.returncode == 2
    assert result.stdout.startswith("error: WEB_CONCURRENCY: ")


def test_pgbouncer_without_its_direct_url_is_the_apps_one_line(tmp_path: Path) -> None:
    env_text = "DATABASE_URL=postgresql://sms@bouncer.example.org:6432/sms\nPOSTGRES_PGBOUNCER=true\n"
    result = describe(tmp_path, env_text)
    assert result.returncode == 2
    assert result.stdout.startswith("error: POSTGRES_PGBOUNCER=true needs POSTGRES_DIRECT_URL")
