"""Start-up through the real entry point: `uvicorn backend.main:app`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import URL, create_engine, inspect

from backend.jobs import runtime

PASSWORD = "p@ss:w/rd%21#x"
SECRET = "startup-secret-key-abcdefghijklmnopqrstuvwxyz-0123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "DATABASE_"))}
    env.update(
        SMS_ENV_FILE="none",
        SECRET_KEY=SECRET,
        BACKUP_DIR=str(tmp_path / "backups"),
        DEFAULT_ADMIN_PASSWORD="Adm1n-startup!",
        SQLITE_PATH=str(tmp_path / "sms.db"),
    )
    env.update(settings)
    return env


def _start(env: dict[str, str], tmp_path: Path) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.main:app", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, port


def _refused(tmp_path: Path, **settings: str) -> str:
    process, _ = _start(_env(tmp_path, **settings), tmp_path)
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0, output
    return output


def _serve_until_ready(tmp_path: Path, **settings: str) -> str:
    process, port = _start(_env(tmp_path, **settings), tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "not ready within a minute"
            time.sleep(0.2)
    finally:
        process.terminate()
    output, _ = process.communicate(timeout=30)
    return output


def test_contradictory_engine_and_url_stop_start_up(tmp_path: Path) -> None:
    output = _refused(
        tmp_path, DATABASE_ENGINE="sqlite", DATABASE_URL=f"postgresql://sms:{quote(PASSWORD, safe='')}@db/sms"
    )
    assert "SMS cannot start: DATABASE_ENGINE=sqlite contradicts DATABASE_URL" in output
    assert PASSWORD not in output and quote(PASSWORD, safe="") not in output


def test_unencoded_password_in_database_url_is_explained(tmp_path: Path) -> None:
    output = _refused(tmp_path, DATABASE_URL=f"postgresql://sms:{PASSWORD}@db/sms")
    assert "cannot be parsed" in output and "percent-encode special characters in the password" in output
    assert PASSWORD not in output


def test_postgresql_without_a_host_stops_start_up(tmp_path: Path) -> None:
    output = _refused(tmp_path, DATABASE_ENGINE="postgresql", POSTGRES_DB="sms", POSTGRES_USER="sms")
    assert "POSTGRES_HOST is not set" in output


def test_weak_secret_key_stops_start_up(tmp_path: Path) -> None:
    output = _refused(tmp_path, SECRET_KEY="changeme")
    assert "SECRET_KEY is missing, a placeholder or shorter than 32" in output


def test_schema_behind_head_stops_start_up_with_the_fix(tmp_path: Path) -> None:
    output = _refused(tmp_path)
    assert "run `python -m backend.db.migrations upgrade`" in output
    assert "AUTO_MIGRATE=true" in output


def test_sqlite_default_serves_ready_and_logs_the_resolution(tmp_path: Path) -> None:
    output = _serve_until_ready(tmp_path, AUTO_MIGRATE="true", POSTGRES_HOST="ignored-host")
    assert f"database: engine=sqlite DATABASE_URL=sqlite:///{tmp_path / 'sms.db'}" in output
    assert "POSTGRES_HOST is set but the engine is SQLite, so they are ignored" in output
    assert (tmp_path / "sms.db").exists()


def test_postgresql_from_postgres_settings_logs_a_masked_url(
    tmp_path: Path, pg_databases: pytest.FixtureRequest, empty_database_url: URL, db_kind: str
) -> None:
    if db_kind != "postgresql":
        output = _serve_until_ready(
            tmp_path, AUTO_MIGRATE="true", DATABASE_URL=empty_database_url.render_as_string()
        )
        assert "database: engine=sqlite" in output
        return
    host = empty_database_url.host or str(empty_database_url.query["host"])
    output = _serve_until_ready(
        tmp_path,
        AUTO_MIGRATE="true",
        DATABASE_ENGINE="postgresql",
        POSTGRES_HOST=host,
        POSTGRES_PORT=str(empty_database_url.port or 5432),
        POSTGRES_DB=str(empty_database_url.database),
        POSTGRES_USER=str(empty_database_url.username),
        POSTGRES_PASSWORD=PASSWORD,
        POSTGRES_SSLMODE="disable" if host.startswith("/") else "prefer",
    )
    assert (
        f"database: engine=postgresql DATABASE_URL=postgresql+psycopg://{empty_database_url.username}:***@"
        in output
    )
    assert "resolved_from='DATABASE_ENGINE=postgresql with POSTGRES_* settings'" in output
    assert PASSWORD not in output and SECRET not in output and "Adm1n-startup!" not in output
    # The job library took the same server and database: with POSTGRES_HOST naming a socket's
    # folder (pgserver), it once read its URL back as another database on the default socket.
    engine = create_engine(empty_database_url)
    try:
        assert runtime.SCHEMA in inspect(engine).get_schema_names()
    finally:
        engine.dispose()
