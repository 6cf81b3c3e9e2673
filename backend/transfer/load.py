"""Steps prepare, copy and constraints (steps.py) on the target, inside the caller's transaction.

Loading into a table without its indexes and then building each index once is several times
faster than updating every index row by row, and foreign keys added after the load are
checked once per constraint (and do not care about self-references or cycles). So the
selected tables lose their foreign keys (both directions) for the copy, and, when they were
truncated, their primary keys, unique constraints and indexes too. Everything is recreated
from PostgreSQL's own definitions under the same names: a table's keys and indexes right after
its copy (while the next table is being rendered), the foreign keys after the last table. In
append mode the keys stay, so a row that conflicts with an existing one fails with its key named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from backend.transfer.errors import DataProblems
from backend.transfer.plan_types import TablePlan

Advance = Callable[[int], None]

_FOREIGN_KEYS = text(
    "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
    "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace "
    "AND (c.conrelid = ANY(CAST(:tables AS regclass[])) OR c.confrelid = ANY(CAST(:tables AS regclass[]))) "
    "ORDER BY 1, 2"
)
_KEYS = text(
    "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
    "WHERE c.contype IN ('p', 'u') AND c.conrelid = ANY(CAST(:tables AS regclass[])) ORDER BY 1, 2"
)
_INDEXES = text(
    "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
    "FROM pg_index i "
    "WHERE i.indrelid = ANY(CAST(:tables AS regclass[])) "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1"
)


@dataclass
class DroppedSchema:
    """What was dropped for the load: (table, name, definition) each, tables as regclass text."""

    keys: list[tuple[str, str, str]] = field(default_factory=list)
    indexes: list[tuple[str, str, str]] = field(default_factory=list)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)


def _quoted(names: Sequence[str]) -> list[str]:
    return [f'"{name}"' for name in names]


def session_settings(connection: Connection, *, lock_timeout_seconds: int) -> None:
    """The write transaction's settings, before anything else runs in it."""
    # Naive SQLite datetimes are UTC wall time (UTCDateTime): COPY must read them as UTC. The
    # rest fixes the output forms verification reads back, whatever the server's defaults.
    connection.execute(text("SET LOCAL TimeZone = 'UTC'"))
    connection.execute(text("SET LOCAL DateStyle = 'ISO, YMD'"))
    connection.execute(text("SET LOCAL extra_float_digits = 1"))
    connection.execute(text("SET LOCAL client_encoding = 'UTF8'"))
    connection.execute(text(f"SET LOCAL lock_timeout = '{int(lock_timeout_seconds)}s'"))
    # Index builds after the load sort in memory instead of spilling to disk.
    connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))


def lock(connection: Connection, tables: Sequence[str]) -> None:
    """Take the tables for the whole transaction; waits at most lock_timeout for the app to let go."""
    connection.execute(text(f"LOCK TABLE {', '.join(_quoted(tables))} IN ACCESS EXCLUSIVE MODE"))


def truncate(connection: Connection, tables: Sequence[str]) -> None:
    """Empty the tables as the guide says: RESTART IDENTITY CASCADE."""
    connection.execute(text(f"TRUNCATE {', '.join(_quoted(tables))} RESTART IDENTITY CASCADE"))


def drop_for_load(connection: Connection, tables: Sequence[str], *, keys_too: bool) -> DroppedSchema:
    params = {"tables": _quoted(tables)}
    dropped = DroppedSchema(foreign_keys=[tuple(r) for r in connection.execute(_FOREIGN_KEYS, params)])
    if keys_too:
        dropped.keys = [tuple(r) for r in connection.execute(_KEYS, params)]
        dropped.indexes = [tuple(r) for r in connection.execute(_INDEXES, params)]
    for table, name, _ in dropped.foreign_keys + dropped.keys:
        connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for _, index, _ in dropped.indexes:
        connection.execute(text(f"DROP INDEX {index}"))
    return dropped


def _is(regclass: str, table: str) -> bool:
    return regclass.strip('"') == table


def restore_keys(connection: Connection, dropped: DroppedSchema, table: str) -> None:
    """Recreate one table's keys, then its indexes; a duplicate is reported, exit 4."""
    for owner, name, definition in dropped.keys:
        if _is(owner, table):
            _add(connection, owner, f'ALTER TABLE {owner} ADD CONSTRAINT "{name}" {definition}')
    for owner, _, definition in dropped.indexes:
        if _is(owner, table):
            _add(connection, owner, definition)


def restore_foreign_keys(connection: Connection, dropped: DroppedSchema) -> None:
    """Recreate the foreign keys, each checked once for its whole table; an orphan is reported, exit 4."""
    for table, name, definition in dropped.foreign_keys:
        _add(connection, table, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _add(connection: Connection, table: str, statement: str) -> None:
    try:
        connection.execute(text(statement))
    except IntegrityError as exc:
        raise DataProblems(f"{table.strip(chr(34))}: {constraint_problem(exc.orig)}") from None


def constraint_problem(error: Any) -> str:
    """PostgreSQL's own words for a key or reference violation, e.g. 'Key (id)=(7) already exists.'"""
    diag = getattr(error, "diag", None)
    detail = getattr(diag, "message_detail", None) or ""
    primary = getattr(diag, "message_primary", None) or str(error).splitlines()[0]
    return f"{primary}. {detail}".strip()


def write_batch(copy: psycopg.Copy, data: bytes) -> None:
    """Send a batch of COPY text lines; PostgreSQL parses the values as the column types say."""
    copy.write(data)


def copy_table(
    connection: Connection,
    batches: Iterable[tuple[bytes, int]],
    table: TablePlan,
    *,
    advance: Advance,
    truncated: bool = False,
) -> int:
    """COPY one table's rendered batches; returns the rows PostgreSQL accepted.

    ``truncated`` (the table was emptied in this transaction) writes the rows with ``FREEZE``:
    already frozen and all-visible, sparing the new database an anti-wraparound vacuum of
    every page later.
    """
    columns = ", ".join(_quoted(table.column_names))
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    options = " (FREEZE)" if truncated else ""
    try:
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN{options}') as copy:
            for data, rows in batches:
                write_batch(copy, data)
                advance(rows)
    except (ValueError, TypeError) as exc:
        raise DataProblems(f"{table.name}: {exc}; nothing was written") from None
    except (psycopg.errors.IntegrityError, psycopg.errors.DataError) as exc:
        raise DataProblems(f"{table.name}: {constraint_problem(exc)}") from None
    return int(cursor.rowcount)
