"""Database-wide locks: what must happen once when several SMS processes share one database.

Replicas (``docker compose up --scale app=3``) and uvicorn workers start at the same moment and
each would upgrade the schema, create the first admin or start a backup. A file or process
lock sees only one machine or one process, so the database itself serialises them:

- PostgreSQL: a transaction-scoped advisory lock (``pg_advisory_xact_lock``). It ends with the
  transaction, so it is safe behind PgBouncer in transaction mode, where a session lock would
  stay on whichever server connection the bouncer happened to lend.
- SQLite: the write lock (``BEGIN IMMEDIATE``), which every process on the file shares.

Waiting on PostgreSQL polls ``pg_try_advisory_xact_lock`` instead of blocking: a blocked
statement would end at ``statement_timeout`` (30 s) or at the app's own deadline on server
waits, and a first migration of a large school may hold the lock longer than that.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, func, literal, select, text

# The lock names; their keys are fixed numbers, so every SMS version agrees on them.
SCHEMA = "sms:schema-upgrade"
FIRST_ADMIN = "sms:first-admin"
BACKUPS = "sms:backups"
POLL_SECONDS = 0.2


class LockTimeout(RuntimeError):
    """Another process held the lock for longer than the caller would wait."""


def key(name: str) -> int:
    """The advisory-lock key of ``name``: a stable 32-bit number (CRC-32)."""
    return zlib.crc32(name.encode())


def hold(connection: Connection, name: str, *, wait_seconds: float = 600.0) -> None:
    """Block until this connection's transaction holds lock ``name``; it ends with the transaction."""
    if connection.dialect.name != "postgresql":
        # SQLite cannot write FOR UPDATE; backend.db.sqlite_transactions begins IMMEDIATE for it,
        # waiting busy_timeout for the write lock like any writer.
        connection.execute(select(literal(1)).with_for_update())
        return
    deadline = time.monotonic() + wait_seconds
    while not try_hold(connection, name):
        if time.monotonic() >= deadline:
            raise LockTimeout(f"another SMS process held the lock {name!r} for over {wait_seconds:g} s")
        time.sleep(POLL_SECONDS)


def try_hold(connection: Connection, name: str) -> bool:
    """Take lock ``name`` for this transaction if it is free (PostgreSQL); True if taken."""
    return bool(connection.scalar(select(func.pg_try_advisory_xact_lock(key(name)))))


@contextmanager
def held_while(engine: Engine, name: str, *, busy: Exception) -> Iterator[None]:
    """Hold lock ``name`` for the block in a transaction of its own, or raise ``busy`` at once.

    For work that outlasts a request, such as a backup, on PostgreSQL; on SQLite the caller's
    file lock already covers every process that can open the file, so nothing is taken. The
    transaction only holds the lock; idle_in_transaction_session_timeout is off for it alone (a
    backup may take longer than that timeout while this transaction waits, idle, for it). It
    must not wrap CREATE INDEX CONCURRENTLY on the same server: that waits for every open
    transaction, this one included.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection, connection.begin() as transaction:
        connection.execute(text("SET LOCAL idle_in_transaction_session_timeout = 0"))
        if not try_hold(connection, name):
            raise busy
        try:
            yield
        finally:
            transaction.rollback()
