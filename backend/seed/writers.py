"""Bulk-load the demo school's rows: executemany on SQLite, COPY on PostgreSQL, one transaction."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date
from typing import Any

from sqlalchemy import Engine, text

from backend.models import Base
from backend.seed.rows import Row, Table
from backend.transfer.plan import Kind, table_plan
from backend.transfer.sequences import reset_sequences

SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"
# How SQLAlchemy stores a value of each kind on SQLite, so the demo looks app-written.
_SQLITE: dict[Kind, Callable[[Any], Any]] = {
    Kind.DATETIME: lambda v: v.astimezone(UTC).strftime(SQLITE_DATETIME),
    Kind.DATE: date.isoformat,
    Kind.NUMERIC: float,
    Kind.JSON: json.dumps,
}


def _batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _converted(table: str, columns: tuple[str, ...], rows: Iterator[Row], *, sqlite: bool) -> Iterator[Row]:
    kinds = {c.name: c.kind for c in table_plan(Base.metadata.tables[table]).columns}
    converters = [(i, f) for i, name in enumerate(columns) if (f := _SQLITE.get(kinds[name])) is not None]
    if not sqlite:  # psycopg adapts everything but JSON, which COPY takes as its text
        converters = [(i, f) for i, f in converters if f is json.dumps]
    if not converters:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for i, convert in converters:
            if values[i] is not None:
                values[i] = convert(values[i])
        yield tuple(values)


def write_sqlite(engine: Engine, tables: list[Table], batch_size: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        connection.execute("BEGIN IMMEDIATE")
        # This year's courses name last year's as prerequisites (a forward reference): check FKs at commit.
        connection.execute("PRAGMA defer_foreign_keys = ON")
        try:
            for name, columns, generate in tables:
                sql = f'INSERT INTO "{name}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
                counts[name] = 0
                for batch in _batched(_converted(name, columns, generate(), sqlite=True), batch_size):
                    connection.executemany(sql, batch)
                    counts[name] += len(batch)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        # The planner's statistics for the new rows. ANALYZE writes them, so it begins IMMEDIATE
        # too: on the app's engine that takes the writer turn (backend.core.sqlite_write_queue).
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("ANALYZE")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        raw.close()
    return counts


def write_postgres(engine: Engine, tables: list[Table], batch_size: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL TimeZone = 'UTC'"))
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for name, columns, generate in tables:
            counts[name] = 0
            with cursor.copy(f'COPY "{name}" ({", ".join(columns)}) FROM STDIN') as copy:
                for batch in _batched(_converted(name, columns, generate(), sqlite=False), batch_size):
                    for row in batch:
                        copy.write_row(row)
                    counts[name] += len(batch)
        reset_sequences(connection, list(counts))
    # Fresh statistics: without them the planner's guesses for a million new rows can turn the
    # dashboard's aggregates into plans that run past the statement timeout.
    with engine.begin() as connection:
        written = ", ".join(f'"{name}"' for name in counts)
        connection.execute(text(f"ANALYZE {written}"))
    return counts
