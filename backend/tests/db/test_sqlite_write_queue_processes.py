"""SQLite writers of several processes take turns through ``<db>-writer.lock``: all succeed, none
waits its busy_timeout, the turns alternate, and the turn is never left held (rollback, failed
BEGIN, close, a killed process)."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from backend.core import sqlite_write_queue
from backend.db import files

pytestmark = pytest.mark.skipif(sqlite_write_queue.fcntl is None, reason="no record locks on Windows")

REPO = Path(__file__).resolve().parents[3]
BUSY_MS = 10_000


def connect(database: Path, busy_ms: int = BUSY_MS) -> sqlite3.Connection:
    """A queued connection, as the app's engine opens them (autocommit driver, WAL)."""
    turn = sqlite_write_queue.turn_for(str(database))
    queued = type("Queued", (sqlite_write_queue.QueuedConnection,), {"turn": turn})
    connection: sqlite3.Connection = sqlite3.connect(
        database, factory=queued, isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout={busy_ms}")
    connection.execute("PRAGMA journal_mode=WAL")
    return connection


def hammer(database: str, threads: int, rounds: int) -> None:
    """Child: ``threads`` writers each commit ``rounds`` rows; print the longest wait and errors."""
    waits: list[float] = []
    errors: list[str] = []

    def writer(n: int) -> None:
        connection = connect(Path(database))
        for round_ in range(rounds):
            began = time.monotonic()
            try:
                connection.execute("BEGIN IMMEDIATE")
                waits.append(time.monotonic() - began)
                row = (os.getpid(), n, round_)
                connection.execute("INSERT INTO log (pid, writer, round) VALUES (?, ?, ?)", row)
                time.sleep(0.001)  # a transaction that does some work while it holds the lock
                connection.execute("COMMIT")
            except sqlite3.Error as exc:
                errors.append(str(exc))
        connection.close()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps({"longest_wait": max(waits, default=0), "errors": errors}), flush=True)


def hold(database: str) -> None:
    """Child: begin a write transaction, say so, and keep it open until killed."""
    connection = connect(Path(database))
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO log (pid, writer, round) VALUES (?, 0, 0)", (os.getpid(),))
    print("holding", flush=True)
    time.sleep(600)


def child(function: str, *args: object) -> subprocess.Popen[str]:
    code = f"from backend.tests.db.test_sqlite_write_queue_processes import {function}; {function}(*{args!r})"
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True)


def turn_is_free(database: Path) -> bool:
    """Whether another process could take the turn now (record locks never conflict in-process)."""
    code = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
        "try:\n    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 2, 0)\nexcept OSError:\n    sys.exit(1)\n"
    )
    return subprocess.run([sys.executable, "-c", code, str(files.writer_lock_file(database))]).returncode == 0


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "turns.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            "CREATE TABLE log (seq INTEGER PRIMARY KEY, pid INTEGER, writer INTEGER, round INTEGER)"
        )
    return path


def _log(database: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT pid, writer, round FROM log ORDER BY seq").fetchall()


def test_writers_of_three_processes_all_succeed_and_take_turns(database: Path) -> None:
    children = [child("hammer", str(database), 4, 40) for _ in range(3)]
    reports = [json.loads(process.communicate(timeout=120)[0]) for process in children]
    assert [report["errors"] for report in reports] == [[], [], []]
    # Far below busy_timeout: no writer lost round after round to newcomers.
    assert max(report["longest_wait"] for report in reports) < 3
    rows = _log(database)
    assert len(rows) == 3 * 4 * 40
    pids = [pid for pid, _writer, _round in rows]
    switches = sum(a != b for a, b in itertools.pairwise(pids))
    # A process that keeps the turn while others wait would commit in long runs.
    assert switches > len(pids) / 4
    assert oct(files.writer_lock_file(database).stat().st_mode & 0o777) == oct(files.PRIVATE_FILE)


def test_the_turn_is_given_back_at_commit_rollback_failed_begin_and_close(database: Path) -> None:
    connection = connect(database)
    assert turn_is_free(database)
    connection.execute("BEGIN IMMEDIATE")
    assert not turn_is_free(database)
    connection.execute("COMMIT")
    assert turn_is_free(database)

    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO log (pid) VALUES (1)")
    connection.rollback()
    assert turn_is_free(database)

    connection.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError):
        connection.execute("BEGIN IMMEDIATE")  # within a transaction: SQLite refuses
    connection.execute("ROLLBACK")
    assert turn_is_free(database)

    connection.execute("BEGIN IMMEDIATE")
    connection.close()  # mid-transaction
    assert turn_is_free(database)
    assert not connection.turn.lock.locked()  # type: ignore[attr-defined]


def test_a_begin_that_fails_gives_the_turn_back(database: Path) -> None:
    holder = child("hold", str(database))
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        connection = connect(database, busy_ms=300)
        began = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            connection.execute("BEGIN IMMEDIATE")
        waited = time.monotonic() - began
        # The turn's wait, then SQLite's own (each busy_timeout), never more.
        assert 0.3 <= waited < 2
        assert not connection.turn.lock.locked()  # type: ignore[attr-defined]
    finally:
        holder.kill()
        holder.wait()
    assert turn_is_free(database)
    connection.execute("BEGIN IMMEDIATE")  # and it is this process's again
    connection.execute("COMMIT")
    connection.close()


def test_a_killed_writer_does_not_block_the_others(database: Path) -> None:
    holder = child("hold", str(database))
    assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
    assert not turn_is_free(database)
    connection = connect(database)
    done = threading.Event()

    def write() -> None:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO log (pid) VALUES (2)")
        connection.execute("COMMIT")
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert not done.wait(0.3)  # waiting for the holder's turn
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert done.wait(2)  # the kernel dropped the killed process's lock
    thread.join()
    connection.close()
    assert [pid for pid, _w, _r in _log(database)] == [2]  # the killed one's row never committed


def test_writers_of_one_process_share_one_turn_per_file(database: Path, tmp_path: Path) -> None:
    turn_for = sqlite_write_queue.turn_for
    assert turn_for(str(database)) is turn_for(str(tmp_path / "." / "turns.db"))
    assert turn_for(":memory:") is not turn_for(":memory:")
