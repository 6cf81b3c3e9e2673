"""Turn driver errors into one line a person can act on, and name the faults that need their own answer."""

from __future__ import annotations

import errno
import sqlite3
import weakref
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Engine

Fault = Literal["disk_full", "read_only"]

# PostgreSQL's SQLSTATEs: disk_full (53100) and read_only_sql_transaction (25006, a standby or
# default_transaction_read_only); SQLite's primary result codes SQLITE_FULL and SQLITE_READONLY.
_SQLSTATES: dict[str, Fault] = {"53100": "disk_full", "25006": "read_only"}
_SQLITE_CODES: dict[int, Fault] = {sqlite3.SQLITE_FULL: "disk_full", sqlite3.SQLITE_READONLY: "read_only"}

_disk_full_at: weakref.WeakKeyDictionary[Engine, datetime] = weakref.WeakKeyDictionary()


def describe_db_error(exc: BaseException) -> str:
    """``ErrorClass: first line of the driver's message``, without SQL or parameters."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else 'no detail'}"


def fault_of(exc: BaseException) -> Fault | None:
    """``disk_full`` or ``read_only`` when the driver's error is one of those, the same on both engines."""
    cause = getattr(exc, "orig", None) or exc
    sqlstate = getattr(cause, "sqlstate", None)
    if isinstance(sqlstate, str):
        return _SQLSTATES.get(sqlstate)
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(code, int):
        # Extended codes (SQLITE_READONLY_DBMOVED, ...) keep the primary code in the low byte.
        return _SQLITE_CODES.get(code & 0xFF)
    if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
        return "disk_full"
    return None


def note_disk_full(engine: Engine) -> None:
    """Remember that a write on ``engine`` failed for a full disk, for the Database Health report."""
    _disk_full_at[engine] = datetime.now(UTC)


def last_disk_full(engine: Engine) -> datetime | None:
    """When a write on ``engine`` last failed for a full disk in this process, if ever."""
    return _disk_full_at.get(engine)
