"""SQLite writers of one process wait their turn in a queue, not in SQLite's busy handler.

SQLite has one writer at a time; a ``BEGIN IMMEDIATE`` that finds the lock taken waits in the
library's busy handler, which sleeps and retries with growing pauses (up to 100 ms each). A
writer that just arrived can then take a lock released between an old writer's retries, so
under load some writers lose round after round: at 32 clients the write p95 was seconds while
the writes themselves take milliseconds. Here the writers of one process first take a
process-wide lock (its waiters are woken the moment it is released), so SQLite's lock is free
when they ask for it; it is released as soon as the write transaction commits or rolls back.
Writers in other processes (workers, the CLI) still meet in SQLite's busy handler, as before.

A writer that waited ``busy_timeout`` for the queue goes on to ``BEGIN IMMEDIATE`` anyway, so
the outcome of a wait that is too long is unchanged: SQLite's own "database is locked".
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

_ENDS = frozenset({"COMMIT", "ROLLBACK", "END"})


class QueuedConnection(sqlite3.Connection):
    """A connection whose ``BEGIN IMMEDIATE`` queues on its engine's ``write_lock`` first."""

    write_lock: threading.Lock
    # The lock may be released by another thread than the one that took it (FastAPI ends a
    # request's transaction in another pool thread): a plain Lock allows that, an RLock not.
    _holds = False

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        keyword = sql.strip().upper()
        if keyword == "BEGIN IMMEDIATE":
            self._take()
            try:
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
        if timeout_ms > 0:
            self._holds = self.write_lock.acquire(timeout=timeout_ms / 1000)
        else:  # no waiting asked for: take the queue only if it is free
            self._holds = self.write_lock.acquire(blocking=False)

    def _give_back(self) -> None:
        if self._holds:
            self._holds = False
            self.write_lock.release()


def install(engine: Engine) -> None:
    """Make the connections this SQLite engine opens from now on queue their writes."""
    queued = type("QueuedConnection", (QueuedConnection,), {"write_lock": threading.Lock()})

    @event.listens_for(engine, "do_connect")
    def _queued_factory(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["factory"] = queued
