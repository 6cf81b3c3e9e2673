"""SQLite writers wait their turn in queues, not in SQLite's busy handler.

SQLite has one writer at a time; a ``BEGIN IMMEDIATE`` that finds the lock taken waits in the
library's busy handler, which sleeps and retries with growing pauses (up to 100 ms each). A
writer that just arrived can then take a lock released between an old writer's retries, so
under load some writers lose round after round: at 32 clients the write p95 was seconds while
the writes themselves take milliseconds. So SQLite's lock is free when a writer asks for it:

- The writers of one process first take a process-wide lock per database file (its waiters are
  woken the moment it is released).
- Its holder, one thread per process, then takes the file's turn among processes (workers, the
  CLI): a record lock on byte 0 of the sidecar ``<db>-writer.lock``, asked for only while
  holding a gate (byte 1). The next writer of the process that just had the turn is woken at
  once, but finds the gate held by a writer of another process that was waiting: the turns
  alternate instead of the fastest process keeping them. A lock wait cannot be given a
  timeout, so both are polled: every 1 ms for the first 100 ms (a turn lasts milliseconds,
  and each pause after its end leaves the database idle: polled every 5 ms, two processes
  committed a quarter fewer writes), then every 5 ms.

Both are released as soon as the write transaction commits, rolls back or its connection
closes, or its ``BEGIN`` fails; the kernel drops a killed process's record locks. Record locks
belong to the process, not the thread: only the holder of the process lock touches them, and
the sidecar's one descriptor stays open while a connection may use it (closing any descriptor
of the file drops the process's locks on it). The turns only order the waiting: SQLite's own
lock still keeps the writes apart, so a turn that is lost or skipped brings back the busy
handler's waits, never a conflict.

A writer that waited ``busy_timeout`` in all goes on to ``BEGIN IMMEDIATE`` anyway, so the
outcome of a wait that is too long is unchanged: SQLite's own "database is locked". Where the
sidecar cannot be opened (a read-only folder) or on Windows (no ``fcntl``), writers of
different processes meet in SQLite's busy handler, as before.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from backend.db import files

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

_ENDS = frozenset({"COMMIT", "ROLLBACK", "END"})
_TURN, _GATE = 0, 1  # the bytes of the sidecar that are locked
QUICK_PAUSE, QUICK_SECONDS, SLOW_PAUSE = 0.001, 0.1, 0.005


class WriteTurn:
    """The write turn on one database file in this process: a thread lock, then the file's."""

    def __init__(self, lock_file: Path | None) -> None:
        self.lock_file = lock_file if fcntl is not None else None
        self.lock = threading.Lock()
        self._fd: int | None = None
        self._holds_file = False  # changed only by the holder of ``lock``

    def take(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for the turn (0: only if it is free); False if it stayed taken.

        The process lock is the turn within this process; without it nothing was taken. With it,
        the file's turn is waited for until the same deadline, and gone on without after that.
        """
        deadline = time.monotonic() + timeout_s
        # With no waiting asked for, the queue is taken only if it is free.
        held = self.lock.acquire(timeout=timeout_s) if timeout_s > 0 else self.lock.acquire(blocking=False)
        if held:
            try:
                self.take_file(deadline)
            except BaseException:  # interrupted while polling (Ctrl-C at a CLI): nothing held
                self.lock.release()
                raise
        return held

    def give_back(self) -> None:
        """End a turn ``take`` gave: the file's first (record locks are the process's), then the process's."""
        try:
            self.give_back_file()
        finally:
            self.lock.release()

    def take_file(self, deadline: float) -> None:
        """Take the file's turn by ``deadline`` (monotonic), or go on without it."""
        fd = self._open()
        if fd is None or not _poll(fd, _GATE, deadline):
            return
        try:
            self._holds_file = _poll(fd, _TURN, deadline)
        finally:
            _unlock(fd, _GATE)

    def give_back_file(self) -> None:
        if self._holds_file and self._fd is not None:
            self._holds_file = False
            _unlock(self._fd, _TURN)

    def forget_after_fork(self) -> None:
        # A child has none of its parent's record locks, and a thread lock held at the fork
        # would stay held for ever in the child.
        self.lock = threading.Lock()
        self._holds_file = False

    def _open(self) -> int | None:
        if self._fd is None and self.lock_file is not None:
            try:
                fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, files.PRIVATE_FILE)
            except OSError:  # a read-only folder: SQLite's busy handler decides, as before
                return None
            self._fd = fd
            weakref.finalize(self, os.close, fd)
        return self._fd


_turns: weakref.WeakValueDictionary[str, WriteTurn] = weakref.WeakValueDictionary()
_turns_lock = threading.Lock()


def turn_for(database: str | None) -> WriteTurn:
    """The one turn of this process for the file ``database`` (a private one for ``:memory:``)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return WriteTurn(None)
    path = Path(database).resolve()
    with _turns_lock:
        turn = _turns.get(str(path))
        if turn is None:
            turn = _turns[str(path)] = WriteTurn(files.writer_lock_file(path))
        return turn


def _forget_all_after_fork() -> None:
    global _turns_lock
    _turns_lock = threading.Lock()
    for turn in list(_turns.values()):
        turn.forget_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_all_after_fork)


def _poll(fd: int, byte: int, deadline: float) -> bool:
    slow_after = time.monotonic() + QUICK_SECONDS
    while True:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, byte)
            return True
        except (BlockingIOError, PermissionError):  # EAGAIN or EACCES: another process has it
            pass
        except OSError:  # no record locks here (ENOLCK): SQLite's busy handler decides
            return False
        now = time.monotonic()
        if now >= deadline:
            return False
        time.sleep(min(QUICK_PAUSE if now < slow_after else SLOW_PAUSE, deadline - now))


def _unlock(fd: int, byte: int) -> None:
    with contextlib.suppress(OSError):  # never fails on an open descriptor; a commit must not
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, byte)


class QueuedConnection(sqlite3.Connection):
    """A connection whose ``BEGIN IMMEDIATE`` waits for its database's ``turn`` first."""

    turn: WriteTurn
    # The turn may be given back by another thread than the one that took it (FastAPI ends a
    # request's transaction in another pool thread): a plain Lock allows that, an RLock not.
    _holds = False

    @property
    def write_lock(self) -> threading.Lock:
        return self.turn.lock

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        keyword = sql.strip().upper()
        if keyword == "BEGIN IMMEDIATE":
            try:
                self._take()
                return super().execute(sql, *args)
            except BaseException:
                self._give_back()
                raise
        try:
            return super().execute(sql, *args)
        finally:
            if keyword in _ENDS and not self.in_transaction:
                self._give_back()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            if not self.in_transaction:
                self._give_back()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._give_back()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._give_back()

    def _take(self) -> None:
        if self._holds:
            return
        (timeout_ms,) = super().execute("PRAGMA busy_timeout").fetchone()
        self._holds = self.turn.take(timeout_ms / 1000)

    def _give_back(self) -> None:
        if self._holds:
            self._holds = False
            self.turn.give_back()


@contextlib.contextmanager
def turn_held(database: str | Path, timeout_s: float) -> Iterator[None]:
    """Hold the write turn on the file ``database`` for a block that writes without ``BEGIN
    IMMEDIATE`` on a queued connection, such as SQLite's backup API loading a restore into it.

    Waited for as a queued writer waits (``timeout_s``, then on without it): the block's own
    wait for SQLite's lock then decides, as before.
    """
    turn = turn_for(str(database))
    held = turn.take(timeout_s)
    try:
        yield
    finally:
        if held:
            turn.give_back()


def install(engine: Engine) -> None:
    """Make the connections this SQLite engine opens from now on queue their writes.

    Called for every SQLite engine ``backend.db.engine_builder.create_database_engine`` builds:
    the app's, and those of the CLIs that may write beside it (sms-maintenance, sms-seed,
    sms-backup, sms-db), which so take the same turns as the app's workers.
    """
    queued = type("QueuedConnection", (QueuedConnection,), {"turn": turn_for(engine.url.database)})

    @event.listens_for(engine, "do_connect")
    def _queued_factory(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["factory"] = queued
