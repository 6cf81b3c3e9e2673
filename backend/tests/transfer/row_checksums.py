"""A test oracle: an independent content checksum of a table on either side.

The tests (and bench/migration/run.py, which imports it from here) check the tool's result
with it; it lives with the tests because the tool itself never needs it.

Both sides reduce a row to PostgreSQL's own row literal (``t::text`` with ``TimeZone=UTC``),
hash it with MD5 and add up the first 64 bits of every hash: PostgreSQL in SQL from what it
stored, Python from the SQLite values. Nothing here depends on how the rows got into the
target, so the benchmark checks every method with it, pgloader's included. The tool's own
verification (verify.py) compares the COPY text it sent with the text read back instead.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Connection, text

from backend.transfer.checksum import Checksum
from backend.transfer.copy_text import Memo, copy_datetime, copy_float, copy_numeric
from backend.transfer.plan_types import ColumnPlan, Kind, TablePlan

_QUOTE = re.compile(r'[ "\\(),\t\n\v\f\r]')
_TARGET_SUM = "SELECT count(*), COALESCE(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0) FROM "
Render = Callable[[object], str]


def _field(value: object) -> str:
    """One field of a row literal, quoted the way PostgreSQL's record_out quotes it."""
    shown = value if isinstance(value, str) else str(value)
    if shown and not _QUOTE.search(shown):
        return shown
    return '"' + shown.replace("\\", "\\\\").replace('"', '""') + '"'


def _bool(value: object) -> str:
    if isinstance(value, str):
        return "t" if value.strip().lower() in ("1", "true") else "f"
    return "t" if value else "f"


def _datetime(value: object) -> str:
    return '"' + copy_datetime(value) + '"'


# How PostgreSQL prints, inside a row literal, the value a SQLite value of each kind becomes.
_LITERALS: dict[Kind, Render] = {
    Kind.INT4: str,
    Kind.INT8: str,
    Kind.DATE: str,
    Kind.FLOAT: copy_float,
    Kind.BOOL: _bool,
    Kind.DATETIME: _datetime,
}


def _renderer(column: ColumnPlan) -> Render:
    if column.kind is Kind.NUMERIC:
        return copy_numeric(column.scale or 0)
    return _LITERALS.get(column.kind, _field)


class _LiteralMemo(Memo):
    def __missing__(self, value: object) -> str:
        return "" if value is None else super().__missing__(value)


def row_literal(table: TablePlan) -> Callable[[Sequence[object]], str]:
    """A function from a SQLite row to the text ``SELECT t::text`` gives for it in PostgreSQL."""
    namespace: dict[str, object] = {}
    fields = []
    for i, column in enumerate(table.columns):
        namespace[f"M{i}"] = _LiteralMemo(_renderer(column))
        fields.append(f"{{M{i}[r[{i}]]}}")
    source = 'def literal(r):\n    return f"(' + ",".join(fields) + ')"\n'
    exec(compile(source, f"<row literal of {table.name}>", "exec"), namespace)
    return namespace["literal"]  # type: ignore[return-value]


def source_checksum(connection: sqlite3.Connection, table: TablePlan, *, batch_size: int = 5000) -> Checksum:
    """The checksum of a table of a SQLite database."""
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    cursor = connection.execute(f'SELECT {columns} FROM "{table.name}"')
    literal, md5 = row_literal(table), hashlib.md5
    rows, digest = 0, 0
    while batch := cursor.fetchmany(batch_size):
        rows += len(batch)
        digest += sum(
            int.from_bytes(md5(literal(r).encode()).digest()[:8], "big", signed=True) for r in batch
        )
    return Checksum(rows, digest)


def target_checksum(connection: Connection, table: TablePlan) -> Checksum:
    """The checksum of a table of the PostgreSQL target (the session's TimeZone must be UTC)."""
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    # Selecting the columns by name makes the row literal independent of column order on disk.
    rows, digest = connection.execute(text(f'{_TARGET_SUM}(SELECT {columns} FROM "{table.name}") AS t')).one()
    return Checksum(int(rows), int(digest))


def checksums(connection: sqlite3.Connection, tables: Iterable[TablePlan]) -> dict[str, Checksum]:
    return {t.name: source_checksum(connection, t) for t in tables}
