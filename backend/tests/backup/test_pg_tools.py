"""Choosing pg_dump/pg_restore for the server, and handing them the password safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine

from backend.backups import pg_tools
from backend.tests.backup.conftest import BACKUPS


@pytest.mark.parametrize("db_kind", ["postgresql"])
def test_the_chosen_pg_dump_fits_the_test_server(engine: Engine, db_kind: str) -> None:
    major = pg_tools.server_major(engine)
    tool = pg_tools.find_pg_tool("pg_dump", min_major=major, bin_dir="")
    assert tool.major >= major
    found = [t for d in pg_tools.candidate_dirs() if (t := pg_tools.tool_version(d / "pg_dump"))]
    assert tool.major == min(t.major for t in found if t.major >= major)
    restore = pg_tools.find_pg_tool("pg_restore", min_major=major, bin_dir="")
    assert restore.major >= major


def test_pg_bin_dir_wins_and_is_named_when_it_does_not_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = [t for d in pg_tools.candidate_dirs() if (t := pg_tools.tool_version(d / "pg_dump"))]
    newest = max(tools, key=lambda t: t.major)
    monkeypatch.setenv("PG_BIN_DIR", str(newest.path.parent))
    assert pg_tools.find_pg_tool("pg_dump", min_major=1).path == newest.path

    with pytest.raises(pg_tools.PgToolError) as too_old:
        pg_tools.find_pg_tool("pg_dump", min_major=newest.major + 1)
    assert f"PG_BIN_DIR={newest.path.parent}" in str(too_old.value)
    assert f"older than the {newest.major + 1} needed" in str(too_old.value)

    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path))
    with pytest.raises(pg_tools.PgToolError) as empty:
        pg_tools.find_pg_tool("pg_restore", min_major=1)
    assert f"PG_BIN_DIR={tmp_path} holds no working pg_restore" in str(empty.value)


def test_no_fitting_client_names_pg_bin_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PG_BIN_DIR", raising=False)
    with pytest.raises(pg_tools.PgToolError) as missing:
        pg_tools.find_pg_tool("pg_dump", min_major=99)
    message = str(missing.value)
    assert "no pg_dump of PostgreSQL 99 or newer" in message and "PG_BIN_DIR" in message


def test_the_password_travels_only_in_pgpassword() -> None:
    password = "p@ss word/with:specials%&'"
    url = URL.create(
        "postgresql+psycopg",
        username="sms_user",
        password=password,
        database="sms",
        query={"host": "/run/postgresql", "sslmode": "prefer", "sslpassword": "key-Phrase"},
    )
    target = pg_tools.libpq_target(url, connect_timeout=7, application_name="sms-test")
    assert password not in target.conninfo and "key-Phrase" not in target.conninfo
    assert target.env["PGPASSWORD"] == password
    params = dict(part.split("=", 1) for part in target.conninfo.split())
    assert params == {
        "host": "/run/postgresql",
        "sslmode": "prefer",
        "user": "sms_user",
        "dbname": "sms",
        "connect_timeout": "7",
        "application_name": "sms-test",
    }
    assert pg_tools.first_error(f"pg_dump: error: FATAL bad {password}".encode(), target.secrets).endswith(
        "***"
    )


@pytest.mark.parametrize("db_kind", ["postgresql"])
def test_a_missing_client_is_a_503_naming_pg_bin_dir(
    client: TestClient,
    admin_headers: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    db_kind: str,
) -> None:
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path / "no-client-here"))
    response = client.post(BACKUPS, headers=admin_headers)
    assert response.status_code == 503
    assert "PG_BIN_DIR=" in response.json()["detail"]
    assert client.get(BACKUPS, headers=admin_headers).json()["total"] == 0
    assert not [p for p in (tmp_path / "backups").glob("*") if not p.name.startswith(".backup.lock")]
