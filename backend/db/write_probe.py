"""Can the app write its database right now? A cheap check for /health/ready and Database Health.

A database that answers reads can still refuse every write: a ``-wal`` file left by another
user, a folder or filesystem made read-only, a PostgreSQL standby or a server whose
transactions are read-only. Reads alone would call that healthy.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, text

from backend.db import files

Reason = Literal["file", "side_file", "folder", "filesystem", "refused", "standby", "read_only"]
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def write_problem(engine: Engine) -> tuple[Reason, str | None] | None:
    """Why nothing can be written (and which path, on SQLite), or None; SQLAlchemyError if unreachable."""
    if engine.dialect.name == "sqlite":
        return _sqlite_problem(Path(engine.url.database or ""))
    with engine.connect() as connection:
        standby, read_only = connection.execute(
            text("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
        ).one()
    if standby:
        return "standby", None
    if read_only == "on":
        return "read_only", None
    return None


def _sqlite_problem(database: Path) -> tuple[Reason, str | None] | None:
    found = files.write_problem(database)
    if found is not None:
        return found[0], str(found[1])
    # A new connection, as the next pooled one would open it: it reopens the -wal and -shm with
    # today's owners and modes. BEGIN IMMEDIATE takes the write lock without writing a page.
    try:
        probe = sqlite3.connect(
            f"{database.resolve().as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None
        )
    except sqlite3.Error:
        return "refused", str(database)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    except sqlite3.Error as exc:
        # Busy means another request holds the write lock: the database is writable.
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in _BUSY:
            return None
        return "refused", str(database)
    finally:
        probe.close()
    return None
