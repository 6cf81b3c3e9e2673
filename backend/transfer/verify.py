"""The verify step (steps.VERIFY): per-table row counts and content checksums, source against target.

The source side is the COPY text sent for each table, in which copy_text.py writes every value
in PostgreSQL's own output form; the target side is the text PostgreSQL gives back for the
rows it stored, with ``COPY ... TO`` in the same transaction and session settings. A value
that was changed on the way, or that PostgreSQL read differently from what the source held
(a trigger, a non-canonical date, " 12" in an integer column), does not come back the same.

After a truncate the table holds only the copied rows, so each side is one SHA-256 over its text
in primary-key order. In append mode the rows already there are read back before the copy,
and each row is hashed on its own and the hashes added up, so the target's sum is its earlier
sum plus the source's.
"""

from __future__ import annotations

import contextlib
import select
from collections.abc import Iterator

import psycopg
from psycopg import pq
from sqlalchemy import Connection

from backend.transfer.checksum import Checksum, ContentDigest
from backend.transfer.plan_types import TablePlan

__all__ = ["Checksum", "mismatches", "read_back"]

_FLUSH_BYTES = 1 << 20


def read_back(connection: Connection, table: TablePlan, *, ordered: bool) -> Checksum:
    """The checksum of the rows a table of the target holds, inside the caller's transaction.

    ``ordered`` as checksum.ordered_checksum decides: only for integer keys.
    """
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    if ordered:
        order = ", ".join(f'"{c}"' for c in table.primary_key)
        sql = f'COPY (SELECT {columns} FROM "{table.name}" ORDER BY {order}) TO STDOUT'
    else:
        sql = f'COPY "{table.name}" ({columns}) TO STDOUT'
    digest = ContentDigest(ordered=ordered)
    for chunk in _copy_out(connection.connection.driver_connection, sql):  # type: ignore[arg-type]
        digest.add(chunk)
    return digest.result()


def _copy_out(driver: psycopg.Connection[object], sql: str) -> Iterator[bytes]:
    """``COPY ... TO STDOUT`` as chunks of whole lines, straight from libpq.

    libpq hands over one row per call; psycopg's Copy object adds about a microsecond to each,
    a second per million rows, so the rows are read here with libpq's own calls. They never
    block holding the GIL: the waits are ``select`` calls. The query is complete (every result
    consumed) when this returns or raises, as psycopg expects; if the reader stops early (an
    error, Ctrl-C), the COPY is cancelled and drained so the transaction can be rolled back.
    """
    pgconn = driver.pgconn
    pgconn.send_query(sql.encode())
    while pgconn.flush():  # psycopg's connections are non-blocking
        select.select([], [pgconn.socket], [])
    result = _next_result(pgconn)
    if result is None or result.status != pq.ExecStatus.COPY_OUT:
        _drain(pgconn)
        raise _error(driver, result)
    buffer, get = bytearray(), pgconn.get_copy_data
    try:
        while True:
            size, row = get(1)
            if size > 0:
                buffer += row
                if len(buffer) >= _FLUSH_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
            elif size == 0:
                _wait_readable(pgconn)
            else:
                break
    except BaseException:
        _abandon(driver)
        raise
    result = _next_result(pgconn)
    _drain(pgconn)
    if result is None or result.status != pq.ExecStatus.COMMAND_OK:
        raise _error(driver, result)
    yield bytes(buffer)


def _abandon(driver: psycopg.Connection[object]) -> None:
    """Cancel a COPY TO that is being read, and consume what is left of it."""
    pgconn = driver.pgconn
    # Best effort: the caller's error is the one that counts.
    with contextlib.suppress(Exception):
        driver.cancel_safe()
        while pgconn.get_copy_data(0)[0] >= 0:
            pass
        _drain(pgconn)


def _wait_readable(pgconn: pq.abc.PGconn) -> None:
    select.select([pgconn.socket], [], [])
    pgconn.consume_input()


def _next_result(pgconn: pq.abc.PGconn) -> pq.abc.PGresult | None:
    while pgconn.is_busy():
        _wait_readable(pgconn)
    return pgconn.get_result()


def _drain(pgconn: pq.abc.PGconn) -> None:
    while _next_result(pgconn) is not None:
        pass


def _error(driver: psycopg.Connection[object], result: pq.abc.PGresult | None) -> psycopg.Error:
    if result is None:
        return psycopg.OperationalError("the connection ended during COPY TO")
    return psycopg.errors.error_from_result(result, encoding=driver.info.encoding)


def mismatches(expected: dict[str, Checksum], actual: dict[str, Checksum]) -> list[str]:
    """One line per table whose count or content differs."""
    problems = []
    for name, want in expected.items():
        got = actual.get(name, Checksum(0, 0))
        if got.rows != want.rows:
            problems.append(f"{name}: {want.rows} rows expected, {got.rows} found in the target")
        elif got.digest != want.digest:
            problems.append(f"{name}: the content differs from the source although the row count matches")
    return problems
