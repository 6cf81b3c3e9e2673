"""Read-only mode in the app, on both engines: writes refused with 503, everything else works.

The mode lives in the database, so it is switched here the ways an admin does: the Control
Panel's API, the CLI in another process, and another app process (a second uvicorn on the
same database) whose switch this one must honour within read_only.CACHE_SECONDS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from backend.api.read_only import CACHE_SECONDS
from backend.config import REPO_ROOT, Settings
from backend.main import create_app
from backend.models import AuditLog, Student, User, UserRole, UserSession
from backend.services import maintenance
from backend.tests.api.conftest import Factory, LiveServer, live_login
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

SWITCH = "/api/v1/control/maintenance"
STUDENT = {
    "student_id": "RO-1",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@school.example",
    "enrollment_date": "2024-09-01",
}


def _users_rows(engine: Engine) -> list[Any]:
    with Session(engine) as session:
        return [tuple(row) for row in session.execute(select(User.__table__).order_by(User.id))]


def switch(client: TestClient, headers: dict[str, str], on: bool, reason: str | None = None) -> Any:
    body: dict[str, Any] = {"read_only": on} if reason is None else {"read_only": on, "reason": reason}
    response = client.put(SWITCH, json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def assert_refused(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "60"
    body = response.json()
    assert body["code"] == "read_only" and body["params"] == {"reason": reason}, body
    assert reason in body["detail"] and "\n" not in body["detail"]


def test_writes_are_refused_reads_and_logins_work(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    created = client.post("/api/v1/students", json=STUDENT, headers=admin_headers).json()
    state = switch(client, admin_headers, True, "moving to PostgreSQL")
    assert state["read_only"] is True and state["reason"] == "moving to PostgreSQL"
    assert state["set_by"] == ADMIN_EMAIL and state["since"]

    reason = "moving to PostgreSQL"
    other = {**STUDENT, "student_id": "RO-2", "email": "b@school.example"}
    assert_refused(client.post("/api/v1/students", json=other, headers=admin_headers), reason)
    path = f"/api/v1/students/{created['id']}"
    assert_refused(client.patch(path, json={"first_name": "X"}, headers=admin_headers), reason)
    assert_refused(client.delete(path, headers=admin_headers), reason)
    assert_refused(client.post("/api/v1/courses", json={}, headers=admin_headers), reason)
    # Refused before authentication: nothing is read or checked for a write that cannot happen.
    assert_refused(client.post("/api/v1/students", json=other), reason)

    assert client.get(path, headers=admin_headers).json()["first_name"] == "Ada"
    assert client.get("/api/v1/students", headers=admin_headers).status_code == 200
    assert client.get("/health/ready").json() == {"status": "pass"}
    health = client.get("/health/database", headers=admin_headers).json()
    assert health["read_only"] is True
    warning = next(w for w in health["warnings"] if w["code"] == "read_only_mode")
    assert warning["params"]["reason"] == reason and warning["params"]["set_by"] == ADMIN_EMAIL
    assert warning["params"]["since"]

    # Logging in and out keeps working: their rows are bookkeeping, not the school's data, and
    # the users table (copied by a move) does not change.
    users_before = _users_rows(engine)
    fresh = client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert fresh.status_code == 200, fresh.text
    headers = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    assert client.post("/api/v1/auth/logout-everywhere", headers=admin_headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=admin_headers).status_code == 401
    assert _users_rows(engine) == users_before

    headers = {
        "Authorization": "Bearer "
        + client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).json()[
            "access_token"
        ]
    }
    assert switch(client, headers, False)["read_only"] is False
    assert client.post("/api/v1/students", json=other, headers=headers).status_code == 201
    health = client.get("/health/database", headers=headers).json()
    assert health["read_only"] is False
    assert "read_only_mode" not in {w["code"] for w in health["warnings"]}
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Student)) == 2


def test_every_switch_is_audited(client: TestClient, admin_headers: dict[str, str], engine: Engine) -> None:
    assert client.get(SWITCH, headers=admin_headers).json() == {
        "read_only": False,
        "reason": None,
        "since": None,
        "set_by": None,
    }
    switch(client, admin_headers, True)
    assert client.get(SWITCH, headers=admin_headers).json()["reason"] == "maintenance"
    switch(client, admin_headers, False)
    with Session(engine) as session:
        rows = session.scalars(
            select(AuditLog).where(AuditLog.entity_type == "maintenance_mode").order_by(AuditLog.id)
        ).all()
    assert [row.action for row in rows] == ["read_only_on", "read_only_off"]
    assert all(row.user_email == ADMIN_EMAIL for row in rows)
    assert rows[0].details["after"]["reason"] == "maintenance"
    assert rows[1].details["before"]["read_only"] is True


def test_the_switch_is_for_admins_and_checks_its_input(
    client: TestClient,
    admin_headers: dict[str, str],
    teacher_headers: dict[str, str],
    viewer_headers: dict[str, str],
) -> None:
    for headers in (teacher_headers, viewer_headers):
        assert client.get(SWITCH, headers=headers).status_code == 403
        assert client.put(SWITCH, json={"read_only": True}, headers=headers).status_code == 403
    assert client.get(SWITCH).status_code == 401
    assert (
        client.put(SWITCH, json={"read_only": True, "reason": "  "}, headers=admin_headers).status_code == 422
    )
    assert client.put(SWITCH, json={"reason": "x"}, headers=admin_headers).status_code == 422
    assert client.get(SWITCH, headers=admin_headers).json()["read_only"] is False


def test_a_switch_by_the_cli_in_another_process_is_seen_within_a_second(
    live_server: LiveServer, settings: Settings
) -> None:
    headers = live_login(live_server)
    url = f"{live_server.url}/api/v1/students"
    assert httpx.post(url, json=STUDENT, headers=headers).status_code == 201
    env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL or "", "SECRET_KEY": settings.SECRET_KEY}
    if settings.POSTGRES_PGBOUNCER:
        # The CLI reads the same .env as the app: behind PgBouncer it is told so too.
        env |= {"POSTGRES_PGBOUNCER": "true", "POSTGRES_DIRECT_URL": settings.POSTGRES_DIRECT_URL or ""}
    done = subprocess.run(
        [sys.executable, "-m", "backend.scripts.maintenance", "on", "--reason", "nightly check"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    switched = time.monotonic()
    other = {**STUDENT, "student_id": "RO-2", "email": "b@school.example"}
    while (response := httpx.post(url, json=other, headers=headers)).status_code != 503:
        # A write that lands before the switch is seen is fine; it must not be one landing late.
        assert response.status_code in (201, 409), response.text
        assert time.monotonic() - switched < CACHE_SECONDS + 0.5, "the CLI's switch was not seen in time"
        time.sleep(0.05)
    assert_refused(response, "nightly check")
    assert time.monotonic() - switched < CACHE_SECONDS + 0.5


@pytest.mark.parametrize("order", ["first", "second"])
def test_two_app_processes_share_the_mode(settings: Settings, order: str) -> None:
    """Two uvicorns, each its own app and engine, on one database: one switches, both obey."""
    with LiveServer(create_app(settings)) as first, LiveServer(create_app(settings)) as second:
        switcher, other = (first, second) if order == "first" else (second, first)
        headers = live_login(switcher)
        # Both have read the mode already (writable), so each holds a cached copy.
        assert httpx.post(f"{other.url}/api/v1/students", json=STUDENT, headers=headers).status_code == 201
        response = httpx.put(
            f"{switcher.url}{SWITCH}", json={"read_only": True, "reason": "replica test"}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = {**STUDENT, "student_id": "RO-2", "email": "b@school.example"}
        # The switcher itself refuses at once; the other replica within the cache's second. Its
        # late write, if any, is refused at the commit all the same: nothing lands after the switch.
        assert_refused(
            httpx.post(f"{switcher.url}/api/v1/students", json=body, headers=headers), "replica test"
        )
        assert_refused(httpx.post(f"{other.url}/api/v1/students", json=body, headers=headers), "replica test")
        listed = httpx.get(f"{other.url}/api/v1/students", headers=headers).json()
        assert [s["student_id"] for s in listed["items"]] == ["RO-1"]
        assert httpx.get(f"{other.url}/health/ready").status_code == 200


def test_a_write_let_through_by_a_stale_copy_is_refused_at_its_commit(
    client: TestClient, admin_headers: dict[str, str], engine: Engine
) -> None:
    """The second check: a switch made after the up-front check still keeps the write out."""
    cache = client.app.state.read_only_cache  # type: ignore[attr-defined]
    assert client.post("/api/v1/students", json=STUDENT, headers=admin_headers).status_code == 201
    cache.max_age = 3600.0  # this process keeps believing "writable"
    with Session(engine) as session, session.begin():
        maintenance.turn_on(session=session, reason="switched elsewhere", set_by="test")
    other = {**STUDENT, "student_id": "RO-2", "email": "b@school.example"}
    assert_refused(client.post("/api/v1/students", json=other, headers=admin_headers), "switched elsewhere")
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Student)) == 1


NOTICE = "/api/v1/maintenance"


def test_every_signed_in_user_sees_the_mode_but_not_who_switched_it(
    client: TestClient,
    admin_headers: dict[str, str],
    teacher_headers: dict[str, str],
    viewer_headers: dict[str, str],
) -> None:
    for headers in (admin_headers, teacher_headers, viewer_headers):
        writable = {"read_only": False, "reason": None, "since": None}
        assert client.get(NOTICE, headers=headers).json() == writable
    switched = switch(client, admin_headers, True, "moving to PostgreSQL")
    for headers in (teacher_headers, viewer_headers):
        notice = client.get(NOTICE, headers=headers).json()
        # set_by is an admin's email: staff see why and since when, not who.
        assert notice == {"read_only": True, "reason": "moving to PostgreSQL", "since": switched["since"]}
    switch(client, admin_headers, False)
    assert client.get(NOTICE, headers=viewer_headers).json()["read_only"] is False


def test_the_notice_needs_a_live_session(
    client: TestClient, teacher_headers: dict[str, str], viewer_headers: dict[str, str], engine: Engine
) -> None:
    assert client.get(NOTICE).status_code == 401
    assert client.get(NOTICE, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    # An account that owes a password change still sees the banner: that change is a write too.
    with Session(engine) as session, session.begin():
        session.execute(update(User).where(User.role == UserRole.VIEWER).values(must_change_password=True))
    assert client.get("/api/v1/students", headers=viewer_headers).status_code == 403
    assert client.get(NOTICE, headers=viewer_headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=teacher_headers).status_code in (200, 204)
    refused = client.get(NOTICE, headers=teacher_headers)
    assert refused.status_code == 401 and refused.json()["code"] == "not_authenticated"


def test_polling_the_notice_does_not_keep_an_idle_session_alive(
    client: TestClient, viewer_headers: dict[str, str], engine: Engine
) -> None:
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    with Session(engine) as session, session.begin():
        session.execute(update(UserSession).values(last_seen_at=long_ago))
    for _ in range(3):
        assert client.get(NOTICE, headers=viewer_headers).status_code == 200
    with Session(engine) as session:
        seen = session.scalars(select(UserSession.last_seen_at)).all()
    assert seen and all(abs((value - long_ago).total_seconds()) < 1 for value in seen)
    # Any other request is use, and is recorded as such.
    assert client.get("/api/v1/students", headers=viewer_headers).status_code == 200
    with Session(engine) as session:
        assert max(session.scalars(select(UserSession.last_seen_at))) > long_ago + timedelta(minutes=4)


def test_an_idle_session_is_not_revived_by_the_notice(
    client: TestClient, viewer_headers: dict[str, str], engine: Engine, settings: Settings
) -> None:
    # Idle past the limit: the poll is refused like any request, and nothing marks the session used.
    assert settings.SESSION_IDLE_MINUTES > 0
    idle_since = datetime.now(UTC) - timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)
    with Session(engine) as session, session.begin():
        session.execute(update(UserSession).values(last_seen_at=idle_since))
    refused = client.get(NOTICE, headers=viewer_headers)
    assert refused.status_code == 401 and refused.json()["code"] == "not_authenticated"
    assert client.get("/api/v1/students", headers=viewer_headers).status_code == 401
    with Session(engine) as session:
        seen = session.scalars(select(UserSession.last_seen_at)).all()
    assert seen and all(abs((value - idle_since).total_seconds()) < 1 for value in seen)


def test_the_year_end_preview_reads_while_the_apply_is_refused(
    client: TestClient, admin_headers: dict[str, str], make: Factory
) -> None:
    year = make.post(
        "/academic-years", {"name": "2025-2026", "starts_on": "2025-09-01", "ends_on": "2026-08-31"}
    )
    make.student(study_year=1)
    body = {"academic_year_id": year["id"], "top_year": 3}
    switch(client, admin_headers, True, "moving to PostgreSQL")
    preview = client.post("/api/v1/year-end/preview", json=body, headers=admin_headers)
    assert preview.status_code == 200, preview.text
    assert_refused(
        client.post("/api/v1/year-end/apply", json=body, headers=admin_headers), "moving to PostgreSQL"
    )
    students = client.get("/api/v1/students", headers=admin_headers).json()["items"]
    assert [s["study_year"] for s in students] == [1]
