from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine

from backend.config import Settings
from backend.db import migrations
from backend.main import create_app
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_SECRET_KEY, login, make_settings


def test_live_answers_without_the_database(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "pass"}


def test_ready_passes_at_head(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "pass"}


def test_ready_fails_with_503_when_the_schema_falls_behind(client: TestClient, engine: Engine) -> None:
    migrations.downgrade(engine, "0001")
    try:
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert response.json() == {"status": "fail"}
    finally:
        migrations.upgrade(engine)


def test_database_health_needs_an_admin(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/health/database").status_code == 401
    teacher = make_user(client, "teacher")
    assert client.get("/health/database", headers=teacher).status_code == 403


def test_database_health_describes_the_active_engine(
    client: TestClient, admin_headers: dict[str, str], db_kind: str, settings: Settings
) -> None:
    body = client.get("/health/database", headers=admin_headers).json()
    assert body["engine"] == db_kind
    assert body["dialect"] == db_kind
    assert body["driver"] == ("pysqlite" if db_kind == "sqlite" else "psycopg")
    assert body["server_version"]
    assert body["latency_ms"] >= 0
    assert body["schema"] == {
        "current": migrations.head_revision(),
        "head": migrations.head_revision(),
        "up_to_date": True,
    }
    tables = {t["name"]: t["rows"] for t in body["tables"]}
    assert "students" in tables and "users" in tables
    assert body["row_counts_exact"] is (db_kind == "sqlite")
    assert body["size_bytes"] > 0
    assert body["resolved_from"].startswith("DATABASE_URL")
    assert body["status"] in {"pass", "warn"}
    codes = {w["code"] for w in body["warnings"]}
    assert "no_recent_backup" in codes
    assert all(w["action"] for w in body["warnings"])
    if db_kind == "sqlite":
        assert body["journal_mode"] == "wal"
        assert tables["users"] == 1
        assert "sqlite_in_production" in codes
    else:
        assert body["host"] is None or isinstance(body["host"], str)
        assert body["pool"]["class"] == "QueuePool"


PG_PASSWORD = "pg-S3cret:p@ss/word"
HEALTH_PATHS = ("/health/live", "/health/ready", "/health/database")


def test_no_secret_in_health_output_or_logs(
    database_url: URL,
    db_kind: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # The test servers trust local connections, so any password is accepted, and must be hidden.
    url = database_url.set(password=PG_PASSWORD) if db_kind == "postgresql" else database_url
    settings = make_settings(url, tmp_path, LOG_LEVEL="DEBUG")
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(settings)) as client:
        headers = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        bodies = [client.get(path, headers=headers).text for path in HEALTH_PATHS]
        # A careless log line with a raw URL is masked by the app's handler.
        logging.getLogger("backend").info("raw %s", url.render_as_string(hide_password=False))
    captured = capfd.readouterr()
    app_output = captured.err + captured.out
    assert "database: engine=" in app_output  # the start-up line went through the masked handler
    record_text = caplog.text.split(" raw ")[0]
    for secret in (TEST_SECRET_KEY, ADMIN_PASSWORD, PG_PASSWORD, quote(PG_PASSWORD, safe="")):
        assert secret not in "\n".join(bodies) + record_text + app_output
    if db_kind == "postgresql":
        assert ":***@" in bodies[2] and ":***@" in app_output
