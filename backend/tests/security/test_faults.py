"""Faults say what happened (issue 11, item 11).

The defects: on SQLite a full disk was answered "The database is busy or unreachable: try again
in a moment"; an unwritable ``-wal`` (or a read-only PostgreSQL server) left /health/ready
saying pass while writes failed; a read-only filesystem stopped start-up with a traceback.

A full disk: on SQLite ``PRAGMA max_page_count`` fails a write exactly as a full filesystem
does (the first test proves it against a real, tiny tmpfs); on PostgreSQL a trigger raises
the server's own disk_full error (SQLSTATE 53100) with the message PostgreSQL gives. Files
that the app cannot write are made with user namespaces (see ``confined``): the tests run as
root, whom chmod does not stop.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from backend.main import create_app
from backend.tests.conftest import PostgresDatabases, login, make_settings
from backend.tests.security import confined

FILL = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA journal_mode=WAL")
if len(sys.argv) > 2:
    connection.execute(f"PRAGMA max_page_count={sys.argv[2]}")
connection.execute("CREATE TABLE t (b BLOB)")
try:
    while True:
        connection.execute("INSERT INTO t VALUES (randomblob(10000))")
except sqlite3.Error as exc:
    print(type(exc).__name__, exc.sqlite_errorname, exc, sep="|")
"""
PG_DISK_FULL = """
CREATE FUNCTION sms_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'disk_full',
    MESSAGE = 'could not extend file "base/16384/16385": No space left on device',
    HINT = 'Check free disk space.';
END $$;
CREATE TRIGGER sms_test_disk_full BEFORE INSERT ON students
  FOR EACH ROW EXECUTE FUNCTION sms_test_disk_full();
"""


def student(n: int) -> dict[str, Any]:
    return {
        "student_id": f"FULL-{n}",
        "first_name": "Disk",
        "last_name": f"Full {n}",
        "email": f"full{n}@school.example",
        "enrollment_date": "2025-09-01",
        "notes": "n" * 10_000,  # overflow pages: every insert needs new pages
    }


def test_max_page_count_fails_exactly_like_a_full_disk(tmp_path: Path) -> None:
    confined.require_user_namespaces()
    disk = tmp_path / "disk"
    disk.mkdir()
    real = subprocess.run(
        confined.on_small_disk(disk, "256k", [sys.executable, "-c", FILL, str(disk / "sms.db")]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    capped = subprocess.run(
        [sys.executable, "-c", FILL, str(tmp_path / "capped.db"), "40"], capture_output=True, text=True
    )
    assert real.stdout == capped.stdout == "OperationalError|SQLITE_FULL|database or disk is full\n", real


@pytest.fixture
def disk_full(db_kind: str, client: TestClient, engine: Engine) -> Iterator[None]:
    """From now on, writes that need more space fail as on a full disk."""
    if db_kind == "sqlite":
        app_engine: Engine = client.app.state.database.engine  # type: ignore[attr-defined]

        @event.listens_for(app_engine, "connect")
        def _cap(dbapi_connection: Any, _record: Any) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        app_engine.dispose()
        yield
        return
    with engine.begin() as connection:
        connection.execute(text(PG_DISK_FULL))
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER sms_test_disk_full ON students"))
            connection.execute(text("DROP FUNCTION sms_test_disk_full()"))


def test_a_full_disk_is_a_507_disk_full_and_a_database_health_warning(
    client: TestClient, admin_headers: dict[str, str], disk_full: None
) -> None:
    answers = []
    for n in range(50):
        answer = client.post("/api/v1/students", json=student(n), headers=admin_headers)
        answers.append(answer.status_code)
        if answer.status_code != 201:
            break
    assert answers[-1] == 507, (answers, answer.text)
    body = answer.json()
    assert body["code"] == "disk_full"
    assert body["detail"].startswith("The server's disk is full, so this change was not saved")
    assert "\n" not in body["detail"] and "busy" not in body["detail"]

    report = client.get("/health/database", headers=admin_headers).json()
    found = [w for w in report["warnings"] if w["code"] == "disk_full"]
    assert len(found) == 1 and found[0]["params"]["seen_at"], report["warnings"]
    assert "because the disk was full" in found[0]["message"]


def test_an_unwritable_wal_fails_readiness_and_database_health_says_why(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """A -wal left by another user: reads work, writes by any new connection fail."""
    confined.require_user_namespaces()
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "sms.db"
    shutil.copyfile(sqlite_template, database)
    port = confined.free_port()
    env = confined.app_env(database, tmp_path)
    with confined.serving(confined.as_app_user(confined.uvicorn(port)), env, port) as server:
        headers = server.login()
        assert httpx.get(f"{server.url}/health/ready").status_code == 200
        wal = database.with_name("sms.db-wal")
        for side in (wal, database.with_name("sms.db-shm")):
            os.chown(side, 65534, 65534)
            os.chmod(side, 0o644)
        ready = httpx.get(f"{server.url}/health/ready")
        assert (ready.status_code, ready.json()) == (503, {"status": "fail"})
        report = httpx.get(f"{server.url}/health/database", headers=headers).json()
    assert report["status"] == "fail"
    found = [w for w in report["warnings"] if w["code"] == "not_writable"]
    assert found and found[0]["params"] == {"reason": "side_file", "path": str(wal)}, report["warnings"]
    assert "not writable by the user SMS runs as" in found[0]["message"]


def test_a_read_only_postgresql_server_fails_readiness_and_writes_say_so(
    pg_databases: PostgresDatabases, tmp_path: Path
) -> None:
    """default_transaction_read_only: what a standby or a server set read-only answers."""
    url = pg_databases.create("sms_readonly")
    try:
        settings = make_settings(url, tmp_path, AUTO_MIGRATE=True)
        with TestClient(create_app(settings)) as client:
            headers = login(client, "admin@school.test", "Adm1n-pa55word!")
            assert client.get("/health/ready").status_code == 200
            with pg_databases.admin.connect() as admin:
                admin.execute(text(f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on'))
            client.app.state.database.dispose()  # type: ignore[attr-defined]  # new sessions
            ready = client.get("/health/ready")
            assert (ready.status_code, ready.json()) == (503, {"status": "fail"})
            report = client.get("/health/database", headers=headers).json()
            write = client.post("/api/v1/students", json=student(1), headers=headers)
    finally:
        pg_databases.drop(url)
    assert report["status"] == "fail"
    found = [w for w in report["warnings"] if w["code"] == "not_writable"]
    assert found and found[0]["params"] == {"reason": "read_only", "path": None}, report["warnings"]
    assert write.status_code == 503 and write.json()["code"] == "database_read_only", write.text


@pytest.mark.parametrize("cause", ["read-only filesystem", "unwritable folder"])
def test_an_unwritable_database_folder_stops_start_up_in_one_line(
    cause: str, sqlite_template: Path, tmp_path: Path
) -> None:
    confined.require_user_namespaces()
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "sms.db"
    shutil.copyfile(sqlite_template, database)
    command = confined.uvicorn(confined.free_port())
    if cause == "read-only filesystem":
        command = confined.on_read_only(folder, command)
        expected = f"the database folder {folder} is on a read-only filesystem"
    else:
        os.chmod(folder, 0o555)
        command = confined.as_app_user(command)
        expected = f"the database folder {folder} is not writable by the user SMS runs as"
    output = confined.refused(command, confined.app_env(database, tmp_path))
    os.chmod(folder, 0o755)
    lines = [line for line in output.splitlines() if "SMS cannot start" in line]
    assert len(lines) == 1 and expected in lines[0], output
    assert "SQLITE_PATH" in lines[0]
    assert "Traceback" not in output, output
