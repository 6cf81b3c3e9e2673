"""A move's cancel against the tool ending on its own: whichever comes first, the two agree.

The worker looks for a cancel every half second; the tool can end between two looks (here
its connection is cut while it waits for the target's table). Each test holds one side still
so the other lands in that gap every time, instead of once in a while on a loaded machine.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbos import DBOS
from fastapi.testclient import TestClient
from sqlalchemy import URL, Connection, create_engine, text

from backend.db import migrations
from backend.services import move_workflow
from backend.services.move_workflow import EXITED, ProgressTracker, cancel_id
from backend.tests.api.test_control_move import (
    MOVE,
    TERMINAL,
    _app,
    read_only,
    start,
    target_students,
    wait_for,
)
from backend.tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, login


@pytest.fixture
def mover(sqlite_template: Path, target: URL, tmp_path: Path) -> Iterator[TestClient]:
    school = tmp_path / "school.db"
    shutil.copyfile(sqlite_template, school)
    with TestClient(_app(school, target, tmp_path)) as client:
        yield client


@pytest.fixture
def admin(mover: TestClient) -> dict[str, str]:
    return login(mover, ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
def blocker(target: URL) -> Iterator[Connection]:
    """A session holding the target's students table: the tool waits for it, mid-run."""
    engine = create_engine(target)
    migrations.upgrade(engine)
    with engine.connect() as connection:
        connection.execute(text("LOCK TABLE students IN ACCESS EXCLUSIVE MODE"))
        yield connection
        connection.rollback()
    engine.dispose()


def _running(mover: TestClient, admin: dict[str, str], target: URL) -> dict[str, Any]:
    job: dict[str, Any] = start(mover, admin, target, force_live_target=True).json()
    assert wait_for(mover, admin, job["id"], states=("running", *TERMINAL))["state"] == "running"
    return job


def _cut_the_tool_off(blocker: Connection) -> None:
    """Once the tool waits for the lock, end its session: it fails (exit 2), rolled back."""
    waiting = text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 60
    while True:
        # The activity view is read once per transaction unless its snapshot is dropped.
        blocker.execute(text("SELECT pg_stat_clear_snapshot()"))
        pids = blocker.execute(waiting).scalars().all()
        if pids:
            break
        assert time.monotonic() < deadline, "the tool never waited for the target's table"
        time.sleep(0.1)
    for pid in pids:
        blocker.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def _events(job_id: str) -> dict[str, Any]:
    return DBOS.get_all_events(job_id)


def test_a_cancel_the_tool_ended_before_seeing_still_ends_cancelled(
    mover: TestClient,
    admin: dict[str, str],
    target: URL,
    blocker: Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The ticks keep the heartbeat but never pass the cancel on: the tool's own failure comes
    # first, as when it lands between the request and the next tick.
    monkeypatch.setattr(ProgressTracker, "tick", lambda self: bool(self.publish()))
    job = _running(mover, admin, target)
    cancel = mover.post(f"{MOVE}/jobs/{job['id']}/cancel", headers=admin)
    assert cancel.status_code == 202 and cancel.json()["state"] == "cancelling"
    _cut_the_tool_off(blocker)
    ended = wait_for(mover, admin, job["id"])
    assert ended["state"] == "cancelled" and ended["error"] is None, ended
    assert ended["exit_code"] == 2  # what ended the tool stays on record, and in its report
    blocker.rollback()
    assert target_students(target) == 0
    assert not read_only(mover, admin)


def test_a_cancel_after_the_tool_ended_on_its_own_is_refused(
    mover: TestClient,
    admin: dict[str, str],
    target: URL,
    blocker: Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The worker has looked for a cancel for the last time (none) and is about to publish the
    # failure: it waits until the cancel below is asked for, so the request lands in that gap.
    finish = move_workflow._finish

    def late(spec: dict[str, Any], job_id: str, outcome: dict[str, Any], report: Any) -> None:
        while DBOS.get_workflow_status(cancel_id(job_id)) is None:
            time.sleep(0.05)
        finish(spec, job_id, outcome, report)

    monkeypatch.setattr(move_workflow, "_finish", late)
    job = _running(mover, admin, target)
    _cut_the_tool_off(blocker)
    deadline = time.monotonic() + 60
    while EXITED not in _events(job["id"]):
        assert time.monotonic() < deadline, "the tool did not exit"
        time.sleep(0.1)
    cancel = mover.post(f"{MOVE}/jobs/{job['id']}/cancel", headers=admin)
    # Not 'cancelling' and then failed: the job ended without the cancel, and the answer says so.
    assert cancel.status_code == 409, cancel.text
    assert cancel.json()["code"] == "move_job_finished"
    assert cancel.json()["params"]["state"] == "failed"
    ended = wait_for(mover, admin, job["id"])
    assert ended["state"] == "failed" and ended["error"]["code"] == "move_failed_usage"
    audit = mover.get("/api/v1/audit-log", params={"entity_type": "move_job"}, headers=admin).json()
    actions = sorted(row["action"] for row in audit["items"] if row["entity_id"] == job["id"])
    assert actions == ["move_job_end", "move_job_start"]
