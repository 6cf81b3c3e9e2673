"""A job's child process: its JSON lines are read, a stop is Ctrl-C, and it dies with its parent.

The last test runs the real migration tool caught mid-run (a session holds the target's
table), closes its standard input as a dying app would, and finds the target untouched and
the source's read-only mode back off.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, create_engine, text

from backend.db import migrations
from backend.jobs.child import ChildResult, run_child
from backend.tests.conftest import PostgresDatabases
from backend.tests.transfer.tool import tool_argv

COUNTER = (
    "import json, sys, time\n"
    "try:\n"
    "    for n in range(600):\n"
    "        print(json.dumps({'event': 'batch', 'n': n}), flush=True)\n"
    "        print('not json', flush=True)\n"
    "        time.sleep(0.05)\n"
    "except KeyboardInterrupt:\n"
    "    print('rolled back', file=sys.stderr)\n"
    "    sys.exit(1)\n"
)


def _stop_after_five_events(script: str) -> tuple[ChildResult, list[dict[str, Any]]]:
    """Run `script` in a child and stop it once it has printed five events."""
    events: list[dict[str, Any]] = []
    result = run_child(
        [sys.executable, "-c", script],
        env=os.environ,
        on_event=events.append,
        tick=lambda: len(events) >= 5,
        tick_seconds=0.1,
    )
    return result, events


def test_lines_are_read_and_a_stop_is_ctrl_c() -> None:
    result, events = _stop_after_five_events(COUNTER)
    assert result.stopped and result.exit_code == 1
    assert result.stderr_tail == ["rolled back"]
    assert [e["n"] for e in events[:5]] == [0, 1, 2, 3, 4] and len(events) < 600


@pytest.fixture
def target(pg_databases: PostgresDatabases) -> Iterator[URL]:
    url = pg_databases.create("sms_child_target")
    yield url
    pg_databases.drop(url)


def _read_only(path: Path) -> int:
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT read_only FROM maintenance_mode").fetchone()
    return int(row[0]) if row else 0


def test_the_tool_stops_when_its_parent_goes_away(sqlite_template: Path, tmp_path: Path, target: URL) -> None:
    source = tmp_path / "school.db"
    shutil.copyfile(sqlite_template, source)
    engine = create_engine(target)
    migrations.upgrade(engine)
    blocker = engine.connect()
    blocker.execute(text("LOCK TABLE students IN ACCESS EXCLUSIVE MODE"))
    argv = tool_argv(source, target, "--yes", "--force-live-target", "--exit-on-stdin-close", "--quiet")
    child = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "SMS_ENV_FILE": "none"},
    )
    try:
        deadline = time.monotonic() + 30
        while _read_only(source) != 1 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        assert _read_only(source) == 1, "the tool did not get as far as read-only mode"
        assert child.stdin is not None
        child.stdin.close()  # what the kernel does when the app holding the pipe dies
        code = child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
        blocker.rollback()
        blocker.close()
    assert code == 1
    assert "interrupted: nothing was committed" in (child.stderr.read().decode() if child.stderr else "")
    assert _read_only(source) == 0
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM students")).scalar_one() == 0
    engine.dispose()


STDIN_WATCHER = (
    "import json, sys, threading, time\n"
    "stop = threading.Event()\n"
    "threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()\n"
    "for n in range(600):\n"
    "    if stop.is_set():\n"
    "        print('rolled back', file=sys.stderr)\n"
    "        sys.exit(1)\n"
    "    print(json.dumps({'event': 'batch', 'n': n}), flush=True)\n"
    "    time.sleep(0.05)\n"
)


def test_on_windows_a_stop_closes_the_childs_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows cannot send a child SIGINT; the tool's --exit-on-stdin-close is the way to stop it.
    monkeypatch.setattr("backend.jobs.child.STOP_BY_CLOSING_STDIN", True)
    result, events = _stop_after_five_events(STDIN_WATCHER)
    assert result.stopped and result.exit_code == 1
    assert result.stderr_tail == ["rolled back"] and len(events) < 600


def test_a_stop_reaches_a_child_of_a_process_that_ignores_ctrl_c() -> None:
    # An ignored SIGINT is inherited across exec (an app started in a shell's background):
    # the child ran on after the stop, for the whole of its work.
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result, events = _stop_after_five_events(COUNTER)
    finally:
        signal.signal(signal.SIGINT, before)
    assert result.stopped and result.exit_code == 1
    assert result.stderr_tail == ["rolled back"] and len(events) < 600


STUBBORN = (
    "import json, signal, time\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "print(json.dumps({'event': 'batch'}), flush=True)\n"
    "time.sleep(30)\n"
)


def test_a_child_that_does_not_stop_is_killed_and_the_ticks_go_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("backend.jobs.child.STOP_GRACE_SECONDS", 1.0)
    ticks: list[bool] = []
    events: list[dict[str, Any]] = []

    def tick() -> bool:
        ticks.append(bool(events))
        return bool(events)

    started = time.monotonic()
    result = run_child(
        [sys.executable, "-c", STUBBORN], env=os.environ, on_event=events.append, tick=tick, tick_seconds=0.1
    )
    assert result.stopped and result.exit_code == -signal.SIGKILL
    assert time.monotonic() - started < 20
    # The ticks are the job's heartbeat: without them a job that is stopping reads as dead.
    assert ticks.count(True) > 2
