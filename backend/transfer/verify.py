"""Step 7: per-table row counts and content checksums, source against target.

Both sides reduce a row to the same text, PostgreSQL's own row literal (``t::text``, with
``TimeZone=UTC``), hash it with MD5 and add up the first 64 bits of every hash. PostgreSQL
computes its side in SQL from what it stored; Python computes the source side from the
SQLite values by rendering each one the way PostgreSQL renders the value it becomes. The sum
does not depend on row order, and in append mode the target's sum is its earlier sum plus the
source's.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection, text

from backend.transfer.plan import ColumnPlan, Kind, TablePlan
from backend.transfer.preflight import parse_datetime

_QUOTE = re.compile(r'[ "\\(),\t\n\v\f\r]')
_TARGET_SUM = "SELECT count(*), COALESCE(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0) FROM "
Render = Callable[[object], str]


@dataclass(frozen=True)
class Checksum:
    rows: int
    digest: int

    def __add__(self, other: Checksum) -> Checksum:
        return Checksum(self.rows + other.rows, self.digest + other.digest)


def _field(value: str) -> str:
    """One field of a row literal, quoted the way PostgreSQL's record_out quotes it."""
    if value and not _QUOTE.search(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '""') + '"'


def _float(value: object) -> str:
    """float8out: the shortest exact digits, scientific outside 1e-4 <= |x| < 1e15."""
    assert isinstance(value, float)
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    shown = repr(value)
    if "e" in shown:
        return shown
    if abs(value) >= 1e15:  # repr is fixed-point up to 1e16, float8out only up to 1e15
        digits = shown.split(".")[0].lstrip("-").rstrip("0")
        sign = "-" if value < 0 else ""
        return f"{sign}{digits[0]}{'.' + digits[1:] if digits[1:] else ''}e+15"
    return shown[:-2] if shown.endswith(".0") else shown


def _numeric(scale: int) -> Render:
    quantum = Decimal(1).scaleb(-scale)

    def render(value: object) -> str:
        shown = repr(value) if isinstance(value, float) else str(value)
        whole, _, fraction = shown.partition(".")
        if "e" not in shown and "E" not in shown and len(fraction) <= scale and whole not in ("-0", "-"):
            # The common case, e.g. 85.5 -> 85.50, without building a Decimal.
            return whole + ("." + fraction.ljust(scale, "0") if scale else "")
        exact = Decimal(shown).quantize(quantum, rounding=ROUND_HALF_UP)
        return f"{abs(exact) if exact.is_zero() else exact:f}"

    return render


def _datetime(value: object) -> str:
    """timestamptz in UTC: naive SQLite values are UTC wall time, as UTCDateTime stores them."""
    assert isinstance(value, str)
    if len(value) == 26 and value[10] == " " and value[19] == ".":
        fraction = value[20:].rstrip("0")
        return '"' + value[:19] + ("." + fraction if fraction else "") + '+00"'
    if len(value) == 19 and value[10] == " ":
        return '"' + value + '+00"'
    moment = parse_datetime(value)
    assert moment is not None, "preflight lets only valid datetimes through"
    shown = moment.strftime("%Y-%m-%d %H:%M:%S")
    if moment.microsecond:
        shown += f".{moment.microsecond:06d}".rstrip("0")
    return '"' + shown + '+00"'


def _bool(value: object) -> str:
    if isinstance(value, str):
        return "t" if value.strip().lower() in ("1", "true") else "f"
    return "t" if value else "f"


def _text(value: object) -> str:
    return _field(value if isinstance(value, str) else str(value))


def renderer(column: ColumnPlan) -> Render:
    """How PostgreSQL will print the value this SQLite value becomes."""
    if column.kind in (Kind.INT4, Kind.INT8):
        return str
    if column.kind is Kind.FLOAT:
        return _float
    if column.kind is Kind.NUMERIC:
        return _numeric(column.scale or 0)
    if column.kind is Kind.BOOL:
        return _bool
    if column.kind is Kind.DATETIME:
        return _datetime
    return _text


class Memo(dict[object, str]):
    """Renders each distinct value once: grades, categories and flags repeat a lot."""

    null = ""

    def __init__(self, render: Render, cap: int = 10_000) -> None:
        super().__init__()
        self.render, self.cap = render, cap

    def __missing__(self, value: object) -> str:
        shown = self.null if value is None else self.render(value)
        # 0.0 and -0.0 are one dict key but print apart: caching a zero could turn one into the other.
        if len(self) < self.cap and not (isinstance(value, float) and value == 0):
            self[value] = shown
        return shown


def datetime_or_empty(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and len(value) == 26 and value[19] == "." and value[10] == " ":
        return '"' + value.rstrip("0").rstrip(".") + '+00"'
    return _datetime(value)


def row_literal(table: TablePlan) -> Callable[[Sequence[object]], str]:
    """A function from a SQLite row to the text ``SELECT t::text`` gives for it in PostgreSQL."""
    # One generated f-string per table: a million rows make per-value call overhead the cost.
    namespace: dict[str, object] = {"D": datetime_or_empty}
    fields = []
    for i, column in enumerate(table.columns):
        value = f"r[{i}]"
        if column.kind in (Kind.INT4, Kind.INT8, Kind.DATE):
            fields.append(f"{{'' if {value} is None else {value}}}" if column.nullable else f"{{{value}}}")
        elif column.kind is Kind.DATETIME:
            fields.append(f"{{D({value})}}")
        else:
            namespace[f"M{i}"] = Memo(renderer(column))
            fields.append(f"{{M{i}[{value}]}}")
    source = 'def literal(r):\n    return f"(' + ",".join(fields) + ')"\n'
    exec(compile(source, f"<row literal of {table.name}>", "exec"), namespace)
    return namespace["literal"]  # type: ignore[return-value]


class ChecksumBuilder:
    """Adds rows of one table, as SQLite returns them, to its checksum."""

    def __init__(self, table: TablePlan) -> None:
        self._literal = row_literal(table)
        self.rows = 0
        self.digest = 0

    def add(self, batch: Sequence[Sequence[object]]) -> None:
        literal, md5 = self._literal, hashlib.md5
        self.rows += len(batch)
        self.digest += sum(
            [int.from_bytes(md5(literal(r).encode()).digest()[:8], "big", signed=True) for r in batch]
        )

    def result(self) -> Checksum:
        return Checksum(self.rows, self.digest)


def source_checksum(connection: sqlite3.Connection, table: TablePlan, *, batch_size: int = 5000) -> Checksum:
    """The checksum of a table of a SQLite database."""
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    cursor = connection.execute(f'SELECT {columns} FROM "{table.name}"')
    builder = ChecksumBuilder(table)
    while batch := cursor.fetchmany(batch_size):
        builder.add(batch)
    return builder.result()


def target_checksum(connection: Connection, table: TablePlan, *, where: str = "") -> Checksum:
    """The checksum of a table of the PostgreSQL target, inside the caller's transaction."""
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    # Selecting the columns by name makes the row literal independent of column order on disk.
    sql = f'{_TARGET_SUM}(SELECT {columns} FROM "{table.name}" {where}) AS t'
    rows, digest = connection.execute(text(sql)).one()
    return Checksum(int(rows), int(digest))


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


def checksums(connection: sqlite3.Connection, tables: Iterable[TablePlan]) -> dict[str, Checksum]:
    return {t.name: source_checksum(connection, t) for t in tables}
