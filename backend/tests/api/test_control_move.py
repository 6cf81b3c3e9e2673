"""Control Panel → Move to PostgreSQL: the API on a real SQLite school and a real PostgreSQL target.

The app under test runs on SQLite (the only engine that has something to move); the target is
a fresh database on the test PostgreSQL. Role and engine rules run on both engines.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, create_engine, text

from backend.config import Settings
from backend.db import migrations
from backend.main import create_app
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, login, make_settings
from backend.tests.security.test_request_limits import UvicornProcess

MOVE = "/api/v1/control/move"
PASSWORD = "Typed-pa55word-never-stored"
TERMINAL = ("succeeded", "failed", "cancelled")


@pytest.fixture
def school(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "school.db"
    shutil.copyfile(sqlite_template, path)
    return path


def host_of(target: URL) -> str:
    """The server as POSTGRES_HOST names it: a host, or (pgserver) the folder of its Unix socket."""
    return target.host or str(target.query["host"])


def port_of(target: URL) -> int:
    return target.port or 5432


def _settings(school: Path, target: URL, tmp_path: Path) -> Settings:
    return make_settings(
        URL.create("sqlite", database=str(school)),
        tmp_path,
        POSTGRES_HOST=host_of(target),
        POSTGRES_PORT=port_of(target),
        POSTGRES_DB=target.database,
        POSTGRES_USER=target.username,
        POSTGRES_PASSWORD=PASSWORD,
    )


def _app(school: Path, target: URL, tmp_path: Path) -> Any:
    return create_app(_settings(school, target, tmp_path))


@pytest.fixture
def mover(school: Path, target: URL, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(_app(school, target, tmp_path)) as client:
        yield client


@pytest.fixture
def admin(mover: TestClient) -> dict[str, str]:
    return login(mover, ADMIN_EMAIL, ADMIN_PASSWORD)


def typed(target: URL, **overrides: Any) -> dict[str, Any]:
    return {
        "use_configured": False,
        "host": host_of(target),
        "port": port_of(target),
        "database": target.database,
        "user": target.username,
        "password": PASSWORD,
        **overrides,
    }


def start(client: TestClient, headers: dict[str, str], target: URL, **body: Any) -> Any:
    payload = {"connection": typed(target), "dry_run": False, **body}
    return client.post(f"{MOVE}/jobs", json=payload, headers=headers)


def wait_for(
    client: TestClient,
    headers: dict[str, str],
    job_id: str,
    states: tuple[str, ...] = TERMINAL,
    timeout: float = 90,
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"{MOVE}/jobs/{job_id}", headers=headers).json()
        if job["state"] in states or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def add_students(client: TestClient, headers: dict[str, str], count: int) -> None:
    for n in range(count):
        body = {
            "student_id": f"MV-{n:04d}",
            "first_name": f"Ana{n}",
            "last_name": "Move",
            "email": f"mv{n}@school.example",
            "enrollment_date": "2024-09-01",
        }
        assert client.post("/api/v1/students", json=body, headers=headers).status_code == 201


def target_students(target: URL) -> int | None:
    engine = create_engine(target)
    try:
        with engine.connect() as connection:
            exists = connection.execute(text("SELECT to_regclass('public.students')")).scalar()
            return (
                int(connection.execute(text("SELECT count(*) FROM students")).scalar_one())
                if exists
                else None
            )
    finally:
        engine.dispose()


def read_only(client: TestClient, headers: dict[str, str]) -> bool:
    return bool(client.get("/api/v1/control/maintenance", headers=headers).json()["read_only"])


# --- roles and engines ---------------------------------------------------------------------


def test_only_admins_see_the_move(
    client: TestClient,
    db_kind: str,
    admin_headers: dict[str, str],
    teacher_headers: dict[str, str],
    viewer_headers: dict[str, str],
) -> None:
    assert client.get(f"{MOVE}/connection").status_code == 401
    for headers in (teacher_headers, viewer_headers):
        assert client.get(f"{MOVE}/connection", headers=headers).status_code == 403
        assert client.get(f"{MOVE}/jobs", headers=headers).status_code == 403
        refused = client.post(
            f"{MOVE}/jobs", json={"connection": {"use_configured": True}, "dry_run": True}, headers=headers
        )
        assert refused.status_code == 403
    answer = client.get(f"{MOVE}/jobs", headers=admin_headers)
    if db_kind == "postgresql":
        assert answer.status_code == 409
        assert answer.json()["code"] == "already_postgresql"
        started = client.post(
            f"{MOVE}/jobs",
            json={"connection": {"use_configured": True}, "dry_run": True},
            headers=admin_headers,
        )
        assert started.status_code == 409 and started.json()["code"] == "already_postgresql"
    else:
        assert answer.status_code == 200 and answer.json() == {"items": []}
        assert client.get(f"{MOVE}/jobs/current", headers=admin_headers).json() is None
        assert client.get(f"{MOVE}/connection", headers=admin_headers).json() == {"configured": None}
        missing = client.post(f"{MOVE}/connection-test", json={"use_configured": True}, headers=admin_headers)
        assert missing.status_code == 400 and missing.json()["code"] == "move_not_configured"
        incomplete = client.post(
            f"{MOVE}/connection-test", json={"use_configured": False, "host": "db"}, headers=admin_headers
        )
        assert incomplete.status_code == 400
        assert incomplete.json()["params"] == {"fields": ["database", "user"]}
        assert client.get(f"{MOVE}/jobs/move-nope", headers=admin_headers).status_code == 404


# --- connection ------------------------------------------------------------------------------


def test_configured_connection_never_shows_the_password(
    mover: TestClient, admin: dict[str, str], target: URL
) -> None:
    answer = mover.get(f"{MOVE}/connection", headers=admin)
    assert answer.status_code == 200
    assert answer.json()["configured"] == {
        "host": host_of(target),
        "port": port_of(target),
        "database": target.database,
        "user": target.username,
        "sslmode": "prefer",
        "password_set": True,
    }
    assert PASSWORD not in answer.text


def test_connection_test_reports_the_target(mover: TestClient, admin: dict[str, str], target: URL) -> None:
    fresh = mover.post(f"{MOVE}/connection-test", json={"use_configured": True}, headers=admin).json()
    assert fresh["ok"] is True and fresh["error"] is None
    assert fresh["server_version"] and fresh["can_create_tables"] is True
    assert fresh["empty"] is True and fresh["tables_with_rows"] == []
    engine = create_engine(target)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, full_name, hashed_password, role, is_active) "
                "VALUES ('x@y.z', 'X', 'h', 'viewer', true)"
            )
        )
    with engine.connect() as held:  # another session on the target: the test names it
        held.execute(text("SET application_name = 'psql'"))
        busy = mover.post(f"{MOVE}/connection-test", json=typed(target), headers=admin)
    engine.dispose()
    body = busy.json()
    assert body["ok"] is True and body["empty"] is False
    assert body["tables_with_rows"] == [{"name": "users", "rows": 1}]
    assert [s["application_name"] for s in body["other_sessions"]] == ["psql"]
    assert PASSWORD not in busy.text


@pytest.mark.parametrize(
    ("overrides", "code"),
    [({"database": "sms_no_such_database"}, "pg_database_missing"), ({"port": 1}, "pg_unreachable")],
)
def test_connection_failures_are_codes_without_secrets(
    mover: TestClient, admin: dict[str, str], target: URL, overrides: dict[str, Any], code: str
) -> None:
    answer = mover.post(f"{MOVE}/connection-test", json=typed(target, **overrides), headers=admin)
    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] is False and body["error"]["code"] == code
    assert set(body["error"]["params"]) == {"host", "port", "database", "user"}
    assert PASSWORD not in answer.text


# --- jobs ------------------------------------------------------------------------------------


def test_a_move_copies_the_school_and_leaves_sms_read_only(
    mover: TestClient, admin: dict[str, str], target: URL, school: Path
) -> None:
    add_students(mover, admin, 3)
    dry = start(mover, admin, target, dry_run=True)
    assert dry.status_code == 202, dry.text
    assert dry.json()["kind"] == "dry_run" and dry.json()["state"] in ("queued", "running")
    finished = wait_for(mover, admin, dry.json()["id"])
    assert finished["state"] == "succeeded", finished
    assert target_students(target) is None and not read_only(mover, admin)

    moved = start(mover, admin, target)
    assert moved.status_code == 202, moved.text
    job = wait_for(mover, admin, moved.json()["id"])
    assert job["state"] == "succeeded", job
    assert job["exit_code"] == 0 and job["error"] is None
    assert job["summary"]["verified"] is True and job["summary"]["rows"] >= 4
    assert job["started_by"] == ADMIN_EMAIL and job["target"]["database"] == target.database
    assert {t["state"] for t in job["tables"]} == {"verified"}
    students = next(t for t in job["tables"] if t["name"] == "students")
    assert students["rows_done"] == students["rows_total"] == 3
    assert "POSTGRES_PASSWORD=***" in job["next_step"]["env_lines"]
    assert job["next_step"]["restart_command"] == "make run"
    assert target_students(target) == 3
    # SMS stays read-only on SQLite: a write is refused, reading works.
    assert read_only(mover, admin)
    refused = mover.post("/api/v1/students", json={}, headers=admin)
    assert refused.status_code == 503 and refused.json()["code"] == "read_only"
    assert mover.get("/api/v1/students", headers=admin).status_code == 200

    jobs = mover.get(f"{MOVE}/jobs", headers=admin).json()["items"]
    assert [j["id"] for j in jobs] == [moved.json()["id"], dry.json()["id"]]
    assert mover.get(f"{MOVE}/jobs/current", headers=admin).json()["id"] == moved.json()["id"]
    report = mover.get(f"{MOVE}/jobs/{job['id']}/report", headers=admin)
    assert report.status_code == 200
    assert report.headers["content-disposition"] == f'attachment; filename="sms-move-{job["id"]}.json"'
    assert report.json()["status"] == "ok" and PASSWORD not in report.text
    # The password was typed in: it is in no SQLite file, the school's nor the jobs' (the inputs).
    assert (school.parent / "school-jobs.db").exists()
    for path in school.parent.glob("school*"):
        assert PASSWORD.encode() not in path.read_bytes()
    audit = mover.get("/api/v1/audit-log", params={"entity_type": "move_job"}, headers=admin).json()
    actions = sorted(row["action"] for row in audit["items"] if row["entity_id"] == job["id"])
    assert actions == ["move_job_end", "move_job_start"]
    assert PASSWORD not in str(audit)
    again = mover.post(f"{MOVE}/jobs/{job['id']}/cancel", headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "move_job_finished"


def test_an_unknown_source_encoding_is_refused_up_front(
    mover: TestClient, admin: dict[str, str], target: URL
) -> None:
    answer = start(mover, admin, target, source_encoding="klingon-8")
    assert answer.status_code == 400
    assert (
        answer.json()["code"] == "move_source_encoding_unknown"
        and answer.json()["field"] == "source_encoding"
    )
    assert mover.get(f"{MOVE}/jobs", headers=admin).json() == {"items": []}


def test_parallel_starts_queue_exactly_one_job(mover: TestClient, admin: dict[str, str], target: URL) -> None:
    answers: list[Any] = []
    barrier = threading.Barrier(4)

    def post() -> None:
        barrier.wait()
        answers.append(start(mover, admin, target, dry_run=True))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [202, 409, 409, 409], [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"move_job_running"}
    winner = next(a.json()["id"] for a in answers if a.status_code == 202)
    assert wait_for(mover, admin, winner)["state"] == "succeeded"
    assert len(mover.get(f"{MOVE}/jobs", headers=admin).json()["items"]) == 1


def test_cancel_rolls_back_and_turns_read_only_off(
    mover: TestClient, admin: dict[str, str], target: URL, school: Path, tmp_path: Path
) -> None:
    add_students(mover, admin, 2)
    engine = create_engine(target)
    migrations.upgrade(engine)
    blocker = engine.connect()
    try:
        # A session holding the target's students table: the tool waits for it, so the job is
        # caught in the middle of its run (read-only on, the transaction open).
        blocker.execute(text("LOCK TABLE students IN ACCESS EXCLUSIVE MODE"))
        job = start(mover, admin, target, force_live_target=True).json()
        running = wait_for(mover, admin, job["id"], states=("running", *TERMINAL))
        assert running["state"] == "running", running
        deadline = time.monotonic() + 20
        while not read_only(mover, admin) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert read_only(mover, admin)
        # Another replica (its own uvicorn process on the same database) sees the job and its
        # progress from the database, and its cancel reaches the process that runs the job.
        with UvicornProcess(_settings(school, target, tmp_path), tmp_path) as replica:
            body = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
            token = httpx.post(f"{replica.url}/api/v1/auth/login", json=body, timeout=30).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            seen = httpx.get(f"{replica.url}{MOVE}/jobs/current", headers=headers, timeout=30).json()
            assert seen["id"] == job["id"] and seen["state"] == "running"
            # The job's start, from the database: what the first process says now (it may not
            # have had it yet when it first saw the job running).
            here = mover.get(f"{MOVE}/jobs/{job['id']}", headers=admin).json()
            assert seen["started_at"] is not None and seen["started_at"] == here["started_at"]
            cancel = httpx.post(f"{replica.url}{MOVE}/jobs/{job['id']}/cancel", headers=headers, timeout=30)
            assert cancel.status_code == 202, cancel.text
            assert cancel.json()["state"] == "cancelling"
        ended = wait_for(mover, admin, job["id"])
    finally:
        blocker.rollback()
        blocker.close()
        engine.dispose()
    assert ended["state"] == "cancelled", ended
    assert target_students(target) == 0
    assert not read_only(mover, admin)
    assert (
        mover.post(
            "/api/v1/students",
            json={
                "student_id": "AFTER",
                "first_name": "A",
                "last_name": "B",
                "email": "after@school.example",
                "enrollment_date": "2024-09-01",
            },
            headers=admin,
        ).status_code
        == 201
    )
    audit = mover.get("/api/v1/audit-log", params={"entity_type": "move_job"}, headers=admin).json()
    actions = sorted(row["action"] for row in audit["items"] if row["entity_id"] == job["id"])
    assert actions == ["move_job_cancel", "move_job_end", "move_job_start"]


def test_a_live_target_fails_the_job_with_a_code(
    mover: TestClient, admin: dict[str, str], target: URL
) -> None:
    engine = create_engine(target)
    try:
        with engine.connect() as held:
            held.execute(text("SELECT 1"))
            job = start(mover, admin, target).json()
            ended = wait_for(mover, admin, job["id"])
    finally:
        engine.dispose()
    assert ended["state"] == "failed" and ended["exit_code"] == 2
    assert ended["error"]["code"] == "move_failed_usage"
    assert PASSWORD not in str(ended)
    assert not read_only(mover, admin)
    assert mover.get(f"{MOVE}/jobs/{job['id']}/report", headers=admin).json()["exit_code"] == 2


def test_a_silent_job_reads_as_interrupted_and_frees_the_queue(
    mover: TestClient, admin: dict[str, str], target: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backend.services import move_jobs

    engine = create_engine(target)
    migrations.upgrade(engine)
    blocker = engine.connect()
    try:
        blocker.execute(text("LOCK TABLE students IN ACCESS EXCLUSIVE MODE"))
        stuck = start(mover, admin, target, force_live_target=True).json()
        assert wait_for(mover, admin, stuck["id"], states=("running", *TERMINAL))["state"] == "running"
        # What a job whose process died looks like: no heartbeat for longer than allowed.
        monkeypatch.setattr(move_jobs, "STALE_SECONDS", 0.0)
        silent = mover.get(f"{MOVE}/jobs/{stuck['id']}", headers=admin).json()
        assert silent["state"] == "failed" and silent["error"]["code"] == "move_interrupted"
        assert start(mover, admin, target, dry_run=True).status_code == 202  # the queue is free again
        monkeypatch.undo()
    finally:
        blocker.rollback()
        blocker.close()
    newer = mover.get(f"{MOVE}/jobs/current", headers=admin).json()
    assert newer["id"] != stuck["id"]
    assert wait_for(mover, admin, newer["id"])["state"] == "succeeded"
    deadline = time.monotonic() + 30
    while read_only(mover, admin) and time.monotonic() < deadline:  # the set-aside tool rolled back
        time.sleep(0.2)
    assert not read_only(mover, admin)
    assert target_students(target) == 0
    after = mover.get(f"{MOVE}/jobs/{stuck['id']}", headers=admin).json()
    assert after["state"] == "failed" and after["error"]["code"] == "move_interrupted"
    audit = mover.get("/api/v1/audit-log", params={"entity_type": "move_job"}, headers=admin).json()
    assert "move_job_end" in {row["action"] for row in audit["items"] if row["entity_id"] == stuck["id"]}
    engine.dispose()
