"""The /health answers as typed models: the same fields as ever, warnings with codes and parameters."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine, text

from backend.config import Settings
from backend.db import health, migrations
from backend.db.engine_builder import create_database_engine, resolve_database
from backend.db.session import Database
from backend.main import create_app
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, login, make_settings

ALWAYS = {"engine", "dialect", "driver", "url", "resolved_from", "database", "host", "port", "checked_at"}
ANSWERED = {
    "latency_ms",
    "server_version",
    "size_bytes",
    "row_counts_exact",
    "tables",
    "schema",
    "pool",
    "backup",
    "read_only",
}
SQLITE_ONLY = {"journal_mode", "wal_size_bytes"}
QUEUE_POOL = {"class", "size", "checked_in", "checked_out", "overflow", "max_overflow"}
NEVER_BACKED_UP = {
    "code": "no_recent_backup",
    "message": "No backup was found.",
    "action": "Create one in Control Panel → Backups or `python -m backend.scripts.backup create`.",
    "params": {"age_hours": None, "max_age_hours": 24},
}


def test_database_report_keeps_its_fields_and_leaves_out_what_does_not_apply(
    client: TestClient, admin_headers: dict[str, str], db_kind: str, settings: Settings
) -> None:
    body = client.get("/health/database", headers=admin_headers).json()
    expected = ALWAYS | ANSWERED | {"status", "warnings"} | (SQLITE_ONLY if db_kind == "sqlite" else set())
    assert set(body) == expected  # no "error" when the database answered, no nulls in its place
    assert set(body["schema"]) == {"current", "head", "up_to_date"}
    assert set(body["backup"]) == {"last_at", "age_hours"}
    assert all(set(table) == {"name", "rows"} for table in body["tables"])
    assert set(body["pool"]) == QUEUE_POOL if body["pool"]["class"] == "QueuePool" else {"class"}
    assert NEVER_BACKED_UP in body["warnings"]
    if db_kind == "sqlite":
        assert {
            "code": "sqlite_in_production",
            "message": "Production is running on SQLite, which serves one writer at a time.",
            "action": "Move to PostgreSQL: see docs/POSTGRES_MIGRATION_GUIDE.md.",
            "params": {},
        } in body["warnings"]
    else:
        # The URL's own host and port: None for a server reached through a socket folder (?host=).
        url = settings.database.url
        assert (body["host"], body["port"]) == (url.host, url.port)


def test_a_schema_behind_head_is_a_failing_report_with_both_revisions(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    # Only the recorded revision goes back: a real downgrade would drop the sessions table
    # the admin's token is checked against.
    head = migrations.head_revision()
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        body = client.get("/health/database", headers=admin_headers).json()
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert body["status"] == "fail"
    assert body["schema"] == {"current": "0001", "head": head, "up_to_date": False}
    (behind,) = [w for w in body["warnings"] if w["code"] == "schema_behind"]
    assert behind["params"] == {"current": "0001", "head": head}
    assert behind["message"] == f"The schema is at 0001, the code expects {head}."


def test_ignored_postgres_settings_are_a_coded_warning_and_the_same_log_line(
    database_url: URL, db_kind: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(database_url, tmp_path, POSTGRES_HOST="db", POSTGRES_USER="sms")
    caplog.set_level(logging.WARNING, logger="backend")
    with TestClient(create_app(settings)) as client:
        headers = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        warnings = client.get("/health/database", headers=headers).json()["warnings"]
    ignored = [w for w in warnings if w["code"] == "settings_ignored"]
    if db_kind == "postgresql":  # a PostgreSQL DATABASE_URL uses them: nothing is ignored
        assert ignored == []
        return
    sentence = (
        "POSTGRES_HOST, POSTGRES_USER are set but the engine is SQLite, so they are ignored: "
        "set DATABASE_ENGINE=postgresql to use PostgreSQL"
    )
    assert ignored == [
        {
            "code": "settings_ignored",
            "message": sentence,
            "action": "Remove the unused POSTGRES_* values or opt in.",
            "params": {"variables": ["POSTGRES_HOST", "POSTGRES_USER"]},
        }
    ]
    assert f"database settings: {sentence}" in caplog.messages


def _unreachable(db_kind: str, database_url: URL, tmp_path: Path) -> Database:
    if db_kind == "sqlite":
        # A directory where the file should be: SQLite cannot open it.
        (tmp_path / "not-a-file.db").mkdir()
        url = f"sqlite:///{tmp_path / 'not-a-file.db'}"
    else:
        url = database_url.set(database="sms_no_such_database").render_as_string(hide_password=False)
    resolved = resolve_database(database_engine=None, database_url=url, sqlite_path="", base_dir=tmp_path)
    return Database(resolved, create_database_engine(resolved))


def test_an_unreachable_database_is_a_failing_report_without_server_facts(
    database_url: URL, db_kind: str, tmp_path: Path
) -> None:
    database = _unreachable(db_kind, database_url, tmp_path)
    try:
        report = health.database_report(database, environment="development", last_backup_at=None)
    finally:
        database.dispose()
    # What the route sends (response_model_exclude_unset).
    body: dict[str, Any] = report.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert set(body) == ALWAYS | {"status", "error", "warnings"}
    assert body["status"] == "fail"
    assert body["error"] == "OperationalError"
    assert body["warnings"] == [
        {
            "code": "unreachable",
            "message": "The database did not answer.",
            "action": "Check that the server is running and the settings in .env are right.",
            "params": {},
        }
    ]


def test_ready_answers_its_typed_body_with_200_or_503(client: TestClient, engine: Engine) -> None:
    assert client.get("/health/live").json() == {"status": "pass"}
    assert (client.get("/health/ready").status_code, client.get("/health/ready").json()) == (
        200,
        {"status": "pass"},
    )
    migrations.downgrade(engine, "0001")
    try:
        response = client.get("/health/ready")
    finally:
        migrations.upgrade(engine)
    assert (response.status_code, response.json()) == (503, {"status": "fail"})


def test_every_json_answer_has_a_named_schema(tmp_path: Path) -> None:
    # Building the schema does not touch the database.
    spec = create_app(
        make_settings(URL.create("sqlite", database=str(tmp_path / "x.db")), tmp_path)
    ).openapi()
    untyped = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                content = response.get("content", {})
                if not code.startswith("2") or not content or set(content) - {"application/json"}:
                    continue  # no body (204), or a file download / CSV export
                schema = content["application/json"]["schema"]
                if "$ref" not in schema and "$ref" not in schema.get("items", {}):
                    untyped.append(f"{method.upper()} {path} {code}")
    assert untyped == []
    ready = spec["paths"]["/health/ready"]["get"]["responses"]
    assert ready["503"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Readiness"}
