"""The headline: SMS keeps serving on SQLite, clients post students, and the CLI migrates.

Never a 2xx write that is then lost. The tool turns read-only mode on in the source (writes in
flight finish first), so from then on the live app answers every write 503 ``read_only``
(backend/api/read_only.py): the move succeeds (exit 0) with every student the app said it
created in PostgreSQL, and every write it refused is in neither database. The source stays
read-only after the move, so writes that come later are refused too.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import URL, create_engine, text

from backend.core.security import hash_password
from backend.main import create_app
from backend.tests.api.conftest import LiveServer
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, make_settings
from backend.tests.transfer.conftest import seed
from backend.tests.transfer.tool import tool_argv

WRITERS = 4


@pytest.fixture
def live_app(source: Path, tmp_path: Path) -> Iterator[str]:
    """SMS on the source file, served by a real uvicorn on a free port."""
    seed(source, students=400)  # a copy that takes a moment, as a school's does
    with sqlite3.connect(source) as db:
        db.execute(
            "INSERT INTO users (email, full_name, hashed_password, role, is_active, security_stamp,"
            " must_change_password, created_at, updated_at) VALUES (?, 'Admin', ?, 'admin', 1, 'stamp', 0,"
            " '2025-09-01 00:00:00', '2025-09-01 00:00:00')",
            (ADMIN_EMAIL, hash_password(ADMIN_PASSWORD)),
        )
    settings = make_settings(URL.create("sqlite", database=str(source)), tmp_path)
    with LiveServer(create_app(settings)) as server:
        yield server.url


def _migrate(source: Path, target: URL, report: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The CLI as an admin runs it, in its own process."""
    return subprocess.run(
        tool_argv(source, target, "--report-json", str(report), *extra),
        env={**os.environ, "SMS_ENV_FILE": "none"},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _students_in(target: URL) -> set[str]:
    engine = create_engine(target)
    with engine.connect() as connection:
        ids = set(connection.execute(text("SELECT student_id FROM students")).scalars())
    engine.dispose()
    return ids


def test_no_write_the_app_accepted_is_lost_by_a_move(
    live_app: str, source: Path, target: URL, tmp_path: Path
) -> None:
    url = live_app
    with httpx.Client(base_url=url, timeout=30) as http:
        login = http.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    stop = threading.Event()
    outcomes: list[tuple[str, int]] = []

    def writer(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60, headers=headers) as http:
            i = 0
            while not stop.is_set() and i < 2000:  # bounded, whatever happens
                student_id = f"LIVE-{n}-{i}"
                body = {"student_id": student_id, "first_name": "Ζωντανός", "last_name": f"Γραφέας {n}",
                        "email": f"live{n}-{i}@school.gr", "enrollment_date": "2026-09-01"}  # fmt: skip
                try:
                    status = http.post("/api/v1/students", json=body).status_code
                except httpx.HTTPError:
                    status = 0  # no answer: not a write the app accepted
                outcomes.append((student_id, status))
                i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while sum(1 for _, status in outcomes if status == 201) < 20:
        if time.monotonic() > deadline:
            stop.set()
            pytest.fail(f"the app accepts no student: {sorted({s for _, s in outcomes})}")
        time.sleep(0.05)
    first = _migrate(source, target, tmp_path / "first.json", "--yes")
    time.sleep(0.5)  # writers keep posting to the source left read-only after the move
    stop.set()
    for thread in threads:
        thread.join(60)

    assert first.returncode == 0, first.stderr
    statuses = {status for _, status in outcomes}
    assert statuses <= {201, 503}, statuses
    accepted = {student_id for student_id, status in outcomes if status == 201}
    refused = {student_id for student_id, status in outcomes if status == 503}
    in_target = _students_in(target)
    lost = accepted - in_target
    with sqlite3.connect(source) as db:
        assert db.execute("SELECT read_only FROM maintenance_mode").fetchone() == (1,)
        in_source = set(db.execute("SELECT student_id FROM students").fetchall())
    print(
        f"\nlive writers: {len(outcomes)} writes attempted, {len(accepted & in_target)} landed in "
        f"PostgreSQL, {len(refused)} refused with 503, {len(lost)} lost (move exit {first.returncode})"
    )
    assert lost == set()
    assert refused & in_target == set() and {(s,) for s in refused} & in_source == set()
    assert len(accepted) >= 20 and refused, "the run must see writes both accepted and refused"
