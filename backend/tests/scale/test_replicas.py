"""Replicas on one database (issue 14): real processes, started at once, as Compose scales them.

Before the schema lock, two of three replicas started on an empty PostgreSQL database failed
their ``migrations upgrade`` with UniqueViolation on pg_type and crash-looped.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
from sqlalchemy import URL, create_engine, func, select, text

from backend.backups.store import exclusive
from backend.db import locks, migrations
from backend.models import User, UserRole
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from backend.tests.scale import replicas

STUDENT = {
    "student_id": "SC-1",
    "first_name": "Ada",
    "last_name": "Scale",
    "email": "ada@school.example",
    "enrollment_date": "2024-09-01",
}


def _login(replica: replicas.Replica) -> dict[str, str]:
    body = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    response = httpx.post(f"{replica.url}/api/v1/auth/login", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_three_replicas_started_at_once_on_an_empty_database(
    empty_database_url: URL, db_kind: str, tmp_path: Path
) -> None:
    url = empty_database_url.render_as_string(hide_password=False)
    # One replica serves with two workers: its workers' start-ups race for the first admin too.
    workers = {"r1": "1", "r2": "1", "r3": "2"}
    started = time.monotonic()
    running = [
        replicas.start(name, replicas.environment(url, tmp_path / "backups", WEB_CONCURRENCY=n), tmp_path)
        for name, n in workers.items()
    ]
    try:
        replicas.wait_ready(running, started=started)
        slowest = max(r.ready_after or 0 for r in running)
        print(f"\n{db_kind}: 3 replicas ready {slowest:.1f} s after starting at once")
        logs = {r.name: r.output() for r in running}
        # One upgraded the empty database; the others waited for the lock and found it at head.
        head = migrations.head_revision()
        upgrades = sorted(re.findall(r": (\S+) -> " + head, text_)[0] for text_ in logs.values())
        assert upgrades == [head, head, "empty"], logs
        for name, output in logs.items():
            assert "Traceback" not in output and "UniqueViolation" not in output, f"{name}:\n{output}"
        assert "with 2 workers" in logs["r3"]
        assert sum(o.count("created the first admin account") for o in logs.values()) == 1, logs
        engine = create_engine(empty_database_url)
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            assert versions.all() == [head]
            users = connection.execute(select(User.email, User.role)).all()
        engine.dispose()
        assert users == [(ADMIN_EMAIL, UserRole.ADMIN)]
        # Every replica serves the one school: a write on one is read on the others.
        headers = _login(running[0])
        created = httpx.post(f"{running[0].url}/api/v1/students", json=STUDENT, headers=headers, timeout=30)
        assert created.status_code == 201, created.text
        for replica in running[1:]:
            listed = httpx.get(f"{replica.url}/api/v1/students", headers=headers, timeout=30).json()
            assert [s["student_id"] for s in listed["items"]] == ["SC-1"]
    finally:
        for replica in running:
            replica.stop()
    # SIGTERM (docker stop) is a clean shutdown for every replica, workers included.
    for replica in running:
        replicas.assert_shut_down_cleanly(replica)


def test_read_only_mode_and_backups_are_shared_by_replicas(
    database_url: URL, db_kind: str, tmp_path: Path
) -> None:
    """One replica's switch and backup are seen by the other; a backup anywhere makes others wait."""
    url = database_url.render_as_string(hide_password=False)
    shared = tmp_path / "backups"  # the named volume Compose gives every replica
    started = time.monotonic()
    first, second = (
        replicas.start(name, replicas.environment(url, shared, WEB_CONCURRENCY="1"), tmp_path)
        for name in ("first", "second")
    )
    try:
        replicas.wait_ready([first, second], started=started)
        headers = _login(first)
        made = httpx.post(f"{first.url}/api/v1/control/backups", headers=headers, timeout=60)
        assert made.status_code == 201, made.text
        listed = httpx.get(f"{second.url}/api/v1/control/backups", headers=headers, timeout=30).json()
        assert [item["name"] for item in listed["items"]] == [made.json()["name"]]

        # A backup running elsewhere holds the lock: on PostgreSQL the database's (a replica on
        # another machine, whose folder is not this one), on SQLite the shared folder's.
        engine = create_engine(database_url)
        in_the_database = locks.held_while(engine, locks.BACKUPS, busy=RuntimeError("held"))
        holder = in_the_database if db_kind == "postgresql" else exclusive(shared)
        with holder:
            refused = httpx.post(f"{second.url}/api/v1/control/backups", headers=headers, timeout=60)
            assert refused.status_code == 409, refused.text
            assert refused.json()["detail"].startswith("another backup, restore or delete is running")
        engine.dispose()
        again = httpx.post(f"{second.url}/api/v1/control/backups", headers=headers, timeout=60)
        assert again.status_code == 201, again.text

        switch = {"read_only": True, "reason": "replica test"}
        on = httpx.put(f"{first.url}/api/v1/control/maintenance", json=switch, headers=headers, timeout=30)
        assert on.status_code == 200, on.text
        refused = httpx.post(f"{second.url}/api/v1/students", json=STUDENT, headers=headers, timeout=30)
        assert (refused.status_code, refused.json()["code"]) == (503, "read_only"), refused.text
        off = {"read_only": False}
        httpx.put(f"{second.url}/api/v1/control/maintenance", json=off, headers=headers, timeout=30)
        time.sleep(1.1)  # the first replica's copy of the mode is at most a second old
        landed = httpx.post(f"{first.url}/api/v1/students", json=STUDENT, headers=headers, timeout=30)
        assert landed.status_code == 201, landed.text
    finally:
        for replica in (first, second):
            replica.stop()
    for replica in (first, second):
        replicas.assert_shut_down_cleanly(replica)
    with create_engine(database_url).connect() as connection:
        assert connection.scalar(select(func.count()).select_from(User)) == 1
