"""SQLite transactions that take the write lock at their first write, not before.

SQLite has one writer at a time. A transaction that starts reading (``BEGIN DEFERRED``) and
writes later cannot wait for the lock: if another writer committed in between, SQLite fails it
at once with "database is locked" (SQLITE_BUSY_SNAPSHOT), whatever ``busy_timeout`` says. The
usual cure, ``BEGIN IMMEDIATE`` for every transaction that might write, makes a request hold
the lock while it does work that needs none (checking a password, rendering a report).

So each transaction begins lazily, at its first statement: a read begins ``DEFERRED`` and
takes no lock; the first write (or a ``SELECT ... FOR UPDATE``, which SQLite cannot express)
ends the read-only part and begins ``IMMEDIATE``, queueing on ``busy_timeout`` like any
writer. Nothing is lost by ending the read-only part: it has written nothing. What the code
read before that point may have changed since, exactly as under PostgreSQL's READ COMMITTED;
code whose decision must still hold when it writes reads with ``with_for_update()``, which
takes the lock before that read on SQLite and row locks on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

_STATE = "sms_sqlite_transaction"
_READ = "read"
_WRITE = "write"
# Statements that only read. Everything else (INSERT, UPDATE, DELETE, REPLACE, DDL) writes.
_READ_PREFIXES = ("SELECT", "PRAGMA", "EXPLAIN", "VALUES")
# Statements that belong to a transaction already begun and must not restart it.
_NEUTRAL_PREFIXES = ("SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "END")


def install(engine: Engine) -> None:
    """Make every transaction on this SQLite engine take the write lock at its first write."""

    @event.listens_for(engine, "connect")
    def _driver_begins_nothing(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 would otherwise issue its own BEGIN before DML; the hook below decides.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_as_needed(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        if not conn.in_transaction():
            return
        raw = conn.connection.dbapi_connection
        info = conn.connection.info
        keyword = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if keyword in _NEUTRAL_PREFIXES:
            if not raw.in_transaction:
                _begin(raw, info, _READ)
            return
        writes = keyword not in _READ_PREFIXES or locks_rows(context)
        if not raw.in_transaction:
            _begin(raw, info, _WRITE if writes else _READ)
        elif writes and info.get(_STATE) == _READ and not conn.in_nested_transaction():
            # The read-only part has nothing to keep: end it and queue for the write lock.
            raw.execute("COMMIT")
            _begin(raw, info, _WRITE)


def _begin(raw: Any, info: dict[str, Any], mode: str) -> None:
    raw.execute("BEGIN IMMEDIATE" if mode == _WRITE else "BEGIN DEFERRED")
    info[_STATE] = mode


def locks_rows(context: Any) -> bool:
    """Whether the statement being run was built with ``with_for_update()``."""
    compiled = getattr(context, "compiled", None)
    statement = getattr(compiled, "statement", None)
    return getattr(statement, "_for_update_arg", None) is not None
