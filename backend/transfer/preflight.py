"""Step 4: find every value PostgreSQL would refuse, before anything is written.

SQLite accepts nearly anything in any column and does not enforce foreign keys unless asked,
so each column is checked against what its PostgreSQL type accepts. The checks are SQL run by
SQLite itself (one aggregate scan per table, then a LIMIT query per kind that was found), so
a million rows take about a second; only datetimes not in the form the app writes are parsed
in Python.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from backend.transfer.plan_types import ColumnPlan, Kind, TablePlan

INT4 = (-(2**31), 2**31 - 1)
_DATE = "[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]"
_TIME = "[0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
# Cheap GLOBs and string comparisons; date() only for days 29-31, whose validity depends on the month.
_VALID_DATE = (
    "substr({c}, 6, 2) BETWEEN '01' AND '12' AND (substr({c}, 9, 2) BETWEEN '01' AND '28' "
    "OR date(substr({c}, 1, 10), '+0 days') IS substr({c}, 1, 10)) AND {c} >= '0001'"
)
CANONICAL_DATE = f"typeof({{c}}) = 'text' AND {{c}} GLOB '{_DATE}' AND {_VALID_DATE}"
# The two forms UTCDateTime and CURRENT_TIMESTAMP write; other forms are checked in Python.
CANONICAL_DATETIME = (
    f"typeof({{c}}) = 'text' AND ({{c}} GLOB '{_DATE} {_TIME}.[0-9][0-9][0-9][0-9][0-9][0-9]' "
    f"OR {{c}} GLOB '{_DATE} {_TIME}') AND {_VALID_DATE} AND substr({{c}}, 12, 2) <= '23'"
)
# What PostgreSQL accepts and Python parses the same way; anything else is refused.
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?"
)


@dataclass(frozen=True)
class Problem:
    kind: str
    column: str
    primary_key: dict[str, Any]
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "column": self.column,
            "primary_key": self.primary_key,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class TableFindings:
    name: str
    rows: int
    problems: list[Problem] = field(default_factory=list)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def problem_count(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class _Check:
    kind: str
    column: str
    condition: str
    message: Callable[[Any], str]


def show(value: Any, limit: int = 80) -> str:
    """A value as a report shows it: repr, shortened, never raw control characters."""
    shown = repr(value.decode("utf-8", "replace") if isinstance(value, bytes) else value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass(frozen=True)
class _Enforced:
    """What the SQLite schema itself guarantees, so checking it again would only cost time."""

    not_null: frozenset[str]
    rowid: str | None
    uniques: frozenset[tuple[str, ...]]


def _enforced(connection: sqlite3.Connection, table: str) -> _Enforced:
    info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
    pk = [row for row in info if row[5]]
    # Only a column declared exactly INTEGER PRIMARY KEY aliases the rowid (always an integer).
    rowid = pk[0][1] if len(pk) == 1 and pk[0][2].upper() == "INTEGER" else None
    uniques = set()
    for index in connection.execute(f'PRAGMA index_list("{table}")').fetchall():
        if index[2] and not index[4]:  # unique and not partial
            columns = connection.execute(f'PRAGMA index_info("{index[1]}")').fetchall()
            uniques.add(tuple(row[2] for row in sorted(columns)))
    return _Enforced(frozenset(row[1] for row in info if row[3]), rowid, frozenset(uniques))


def _column_checks(column: ColumnPlan, enforced: _Enforced) -> list[_Check]:
    c, checks = f'"{column.name}"', list[_Check]()
    if column.name == enforced.rowid:
        return checks

    def add(kind: str, condition: str, message: Callable[[Any], str]) -> None:
        checks.append(_Check(kind, column.name, condition, message))

    if not column.nullable and column.name not in enforced.not_null:
        add("not_null", f"{c} IS NULL", lambda v: "NULL in a NOT NULL column: set a value or delete the row")
    if column.kind in (Kind.TEXT, Kind.ENUM, Kind.JSON):
        add(
            "nul_byte",
            f"typeof({c}) = 'text' AND instr(CAST({c} AS BLOB), x'00') > 0",
            lambda v: "text holds a NUL byte (\\x00), which PostgreSQL cannot store: remove it",
        )
        add(
            "wrong_type",
            f"typeof({c}) = 'blob'",
            lambda v: "binary data (BLOB) in a text column: convert or clear it",
        )
    if column.kind is Kind.TEXT and column.length:
        n = column.length
        add(
            "too_long",
            f"typeof({c}) = 'text' AND length({c}) > {n}",
            lambda v: f"{len(v)} characters, longer than VARCHAR({n}): shorten it to {n}",
        )
    if column.kind in (Kind.INT4, Kind.INT8):
        add(
            "not_a_number",
            f"{c} IS NOT NULL AND typeof({c}) != 'integer'",
            lambda v: "not an integer in an integer column: fix or clear it",
        )
    if column.kind is Kind.INT4:
        add(
            "out_of_range",
            f"typeof({c}) = 'integer' AND {c} NOT BETWEEN {INT4[0]} AND {INT4[1]}",
            lambda v: f"does not fit an INTEGER column ({INT4[0]}..{INT4[1]}): fix it, or widen the column",
        )
    if column.kind in (Kind.FLOAT, Kind.NUMERIC):
        add(
            "not_a_number",
            f"{c} IS NOT NULL AND typeof({c}) NOT IN ('integer', 'real')",
            lambda v: "not a number in a numeric column: fix or clear it",
        )
    if column.kind is Kind.NUMERIC and column.precision is not None:
        p, s = column.precision, column.scale or 0
        add(
            "out_of_range",
            f"typeof({c}) IN ('integer', 'real') AND abs(round({c}, {s})) >= 1e{p - s}",
            lambda v: f"does not fit NUMERIC({p}, {s}) (less than 1e{p - s} in size): fix it",
        )
    if column.kind is Kind.BOOL:
        add(
            "not_a_boolean",
            f"{c} IS NOT NULL AND {c} NOT IN (0, 1) AND (typeof({c}) != 'text' "
            f"OR lower({c}) NOT IN ('true', 'false', '0', '1'))",
            lambda v: "not a boolean: use 0, 1, true or false",
        )
    if column.kind is Kind.DATE:
        add(
            "bad_date",
            f"{c} IS NOT NULL AND NOT ({CANONICAL_DATE.format(c=c)})",
            lambda v: "not a valid date: write it as YYYY-MM-DD",
        )
    if column.kind is Kind.DATETIME:
        # Not an error by itself: these values are parsed in Python, which decides.
        add("noncanonical", f"{c} IS NOT NULL AND NOT ({CANONICAL_DATETIME.format(c=c)})", lambda v: "")
    if column.kind is Kind.JSON:
        add(
            "bad_json",
            f"{c} IS NOT NULL AND NOT json_valid({c})",
            lambda v: "not valid JSON: fix or clear it",
        )
    if column.kind is Kind.ENUM:
        allowed = ", ".join("'" + value.replace("'", "''") + "'" for value in column.enum_values)
        add(
            "not_in_enum",
            f"{c} IS NOT NULL AND {c} NOT IN ({allowed})",
            lambda v: f"not one of {', '.join(column.enum_values)}: change it to one of them",
        )
    return checks


def parse_datetime(value: Any) -> datetime | None:
    """The instant PostgreSQL reads from this text (naive values are UTC), or None if it would refuse it."""
    if not isinstance(value, str) or not _ISO_DATETIME.fullmatch(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        # An offset can move the instant past year 1 or 9999, which Python cannot hold.
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def valid_datetime(value: Any) -> bool:
    return parse_datetime(value) is not None


def _pk_dict(table: TablePlan, row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(table.primary_key, row, strict=False))


def _record(
    findings: TableFindings, check: _Check, count: int, examples: Iterable[tuple[Any, ...]], table: TablePlan
) -> None:
    findings.counts[(check.kind, check.column)] = count
    for row in examples:
        *pk, value = row
        findings.problems.append(
            Problem(check.kind, check.column, _pk_dict(table, tuple(pk)), show(value), check.message(value))
        )


def check_table(
    connection: sqlite3.Connection, table: TablePlan, *, selected: set[str], limit: int = 20
) -> TableFindings:
    """Every problem of one table: counts per kind and column, and the first ``limit`` of each."""
    name, pk = f'"{table.name}"', ", ".join(f'"{c}"' for c in table.primary_key)
    enforced = _enforced(connection, table.name)
    checks = [check for column in table.columns for check in _column_checks(column, enforced)]
    # One scan answers "is anything wrong?"; only a table where something is gets a scan per kind.
    anything = " OR ".join(f"({check.condition})" for check in checks) or "0"
    rows, suspects = connection.execute(
        f"SELECT count(*), coalesce(sum(CASE WHEN {anything} THEN 1 ELSE 0 END), 0) FROM {name}"
    ).fetchone()
    counts = [0] * len(checks)
    if suspects:
        sums = ", ".join(f"sum(CASE WHEN {check.condition} THEN 1 ELSE 0 END)" for check in checks)
        counts = list(connection.execute(f"SELECT {sums} FROM {name}").fetchone())
    findings = TableFindings(table.name, rows)
    for check, count in zip(checks, counts, strict=True):
        if not count:
            continue
        if check.kind == "noncanonical":
            _check_datetimes(connection, table, check, findings, limit)
            continue
        examples = connection.execute(
            f'SELECT {pk}, "{check.column}" FROM {name} WHERE {check.condition} ORDER BY {pk} LIMIT {limit}'
        ).fetchall()
        _record(findings, check, count, examples, table)
    for fk in table.foreign_keys:
        if fk.parent in selected:
            _check_orphans(connection, table, fk.columns, fk.parent, fk.parent_columns, findings, limit)
    for columns in table.uniques:
        if columns not in enforced.uniques and (columns != (enforced.rowid,)):
            _check_duplicates(connection, table, columns, findings, limit)
    return findings


def _check_datetimes(
    connection: sqlite3.Connection, table: TablePlan, check: _Check, findings: TableFindings, limit: int
) -> None:
    pk = ", ".join(f'"{c}"' for c in table.primary_key)
    cursor = connection.execute(
        f'SELECT {pk}, "{check.column}" FROM "{table.name}" WHERE {check.condition} ORDER BY {pk}'
    )
    bad: list[tuple[Any, ...]] = []
    count = 0
    for row in cursor:
        if not valid_datetime(row[-1]):
            count += 1
            if len(bad) < limit:
                bad.append(row)
    if count:
        message = (
            "not a valid date and time: write it as YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM] (no zone = UTC)"
        )
        _record(findings, _Check("bad_datetime", check.column, "", lambda v: message), count, bad, table)


def _check_orphans(
    connection: sqlite3.Connection,
    table: TablePlan,
    columns: tuple[str, ...],
    parent: str,
    parent_columns: tuple[str, ...],
    findings: TableFindings,
    limit: int,
) -> None:
    pk = ", ".join(f'c."{col}"' for col in table.primary_key)
    join = " AND ".join(f'p."{pc}" = c."{cc}"' for cc, pc in zip(columns, parent_columns, strict=True))
    present = " AND ".join(f'c."{cc}" IS NOT NULL' for cc in columns)
    where = f'{present} AND p."{parent_columns[0]}" IS NULL'
    base = f'FROM "{table.name}" c LEFT JOIN "{parent}" p ON {join} WHERE {where}'
    count = connection.execute(f"SELECT count(*) {base}").fetchone()[0]
    if not count:
        return
    value = " || ',' || ".join(f'c."{cc}"' for cc in columns)
    examples = connection.execute(f"SELECT {pk}, {value} {base} ORDER BY {pk} LIMIT {limit}").fetchall()
    target = f"{parent}.{','.join(parent_columns)}"
    check = _Check(
        "orphan",
        ",".join(columns),
        "",
        lambda v: (
            f"no row in {target} has this value: "
            f"delete the row, clear the reference or restore the missing {parent} row"
        ),
    )
    _record(findings, check, count, examples, table)


def _check_duplicates(
    connection: sqlite3.Connection,
    table: TablePlan,
    columns: tuple[str, ...],
    findings: TableFindings,
    limit: int,
) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    present = " AND ".join(f'"{c}" IS NOT NULL' for c in columns)
    groups = f'SELECT {cols} FROM "{table.name}" WHERE {present} GROUP BY {cols} HAVING count(*) > 1'
    if not connection.execute(f"SELECT 1 FROM ({groups}) LIMIT 1").fetchone():
        return
    count = connection.execute(
        f'SELECT count(*) FROM "{table.name}" WHERE ({cols}) IN ({groups})'
    ).fetchone()[0]
    pk = ", ".join(f'"{c}"' for c in table.primary_key)
    value = " || ',' || ".join(f'"{c}"' for c in columns)
    examples = connection.execute(
        f'SELECT {pk}, {value} FROM "{table.name}" WHERE ({cols}) IN ({groups}) '
        f"ORDER BY {cols}, {pk} LIMIT {limit}"
    ).fetchall()
    check = _Check(
        "duplicate",
        ",".join(columns),
        "",
        lambda v: (
            f"another row has the same {', '.join(columns)}, which must be unique: "
            "change or delete one of them"
        ),
    )
    _record(findings, check, count, examples, table)


def run_preflight(
    connect: Callable[[], sqlite3.Connection], tables: list[TablePlan], *, limit: int = 20, workers: int = 2
) -> list[TableFindings]:
    """Check every selected table, two at a time; FKs are checked where the parent is selected too."""
    selected = {t.name for t in tables}

    def one(table: TablePlan) -> TableFindings:
        # SQLite releases the GIL while it scans, so two connections use two cores.
        with closing(connect()) as connection:
            return check_table(connection, table, selected=selected, limit=limit)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="preflight") as pool:
        return list(pool.map(one, tables))
