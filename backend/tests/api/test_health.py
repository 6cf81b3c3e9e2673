from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from backend.config import Settings
from backend.db import migrations
from backend.tests.conftest import ADMIN_PASSWORD, TEST_SECRET_KEY


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


def test_no_secret_in_health_output_or_logs(
    client: TestClient, admin_headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bodies = [client.get(path, headers=admin_headers).text for path in
              ("/health/live", "/health/ready", "/health/database")]
    everything = "\n".join(bodies) + caplog.text
    for secret in (TEST_SECRET_KEY, ADMIN_PASSWORD):
        assert secret not in everything
