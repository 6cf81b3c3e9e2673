"""The preflight step (steps.PREFLIGHT): every value PostgreSQL would refuse, before anything is written.

SQLite accepts nearly anything in any column and does not enforce foreign keys unless asked,
so each column is checked against what its PostgreSQL type accepts. The checks are SQL run by
SQLite itself (one aggregate scan per table, then a LIMIT query per kind that was found), so
a million rows take about a second; only datetimes not in the form the app writes are parsed
in Python.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from backend.transfer import preflight_rules as rules
from backend.transfer.plan_types import TablePlan
from backend.transfer.preflight_rules import Check


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


def show(value: Any, limit: int = 80) -> str:
    """A value as a report shows it: repr, shortened, never raw control characters."""
    shown = repr(value.decode("utf-8", "replace") if isinstance(value, bytes) else value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def show_bytes(value: Any, limit: int = 80) -> str:
    """Text that is not UTF-8 as its bytes, escaped (b'\\xc3\\xe9...'), shortened."""
    shown = repr(bytes(value)) if isinstance(value, bytes | bytearray | memoryview) else show(value, limit)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _lenient_text(data: bytes) -> str:
    # Values are shown, never written, here: bytes that are not UTF-8 must not stop the check.
    return data.decode("utf-8", "backslashreplace")


def _pk_dict(table: TablePlan, row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(table.primary_key, row, strict=False))


def _record(
    findings: TableFindings, check: Check, count: int, examples: Iterable[tuple[Any, ...]], table: TablePlan
) -> None:
    findings.counts[(check.kind, check.column)] = count
    shown = show_bytes if check.kind == rules.NOT_UTF8 else show
    for row in examples:
        *pk, value = row
        findings.problems.append(
            Problem(check.kind, check.column, _pk_dict(table, tuple(pk)), shown(value), check.message(value))
        )


def check_table(
    connection: sqlite3.Connection,
    table: TablePlan,
    *,
    selected: set[str],
    limit: int = 20,
    encoding: str | None = None,
) -> TableFindings:
    """Every problem of one table: counts per kind and column, and the first ``limit`` of each.

    ``encoding``: text that is not UTF-8 but reads as this (--source-encoding) is no problem.
    """
    name, pk = f'"{table.name}"', ", ".join(f'"{c}"' for c in table.primary_key)
    connection.text_factory = _lenient_text
    connection.create_function("sms_decodes", 1, rules.decoder(encoding), deterministic=True)
    enforced = rules.enforced(connection, table.name)
    checks = [
        check
        for column in table.columns
        for check in rules.column_checks(column, enforced, encoding=encoding)
    ]
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
        value = f'CAST("{check.column}" AS BLOB)' if check.kind == rules.NOT_UTF8 else f'"{check.column}"'
        examples = connection.execute(
            f"SELECT {pk}, {value} FROM {name} WHERE {check.condition} ORDER BY {pk} LIMIT {limit}"
        ).fetchall()
        _record(findings, check, count, examples, table)
    for fk in table.foreign_keys:
        if fk.parent in selected:
            _check_orphans(connection, table, fk.columns, fk.parent, fk.parent_columns, findings, limit)
    for columns in table.uniques:
        if columns not in enforced.uniques and (columns != (enforced.rowid,)):
            _check_duplicates(connection, table, columns, findings, limit)
    for columns, predicate in table.partial_uniques:
        _check_duplicates(connection, table, columns, findings, limit, where=predicate)
    return findings


def _check_datetimes(
    connection: sqlite3.Connection, table: TablePlan, check: Check, findings: TableFindings, limit: int
) -> None:
    pk = ", ".join(f'"{c}"' for c in table.primary_key)
    cursor = connection.execute(
        f'SELECT {pk}, "{check.column}" FROM "{table.name}" WHERE {check.condition} ORDER BY {pk}'
    )
    bad: list[tuple[Any, ...]] = []
    count = 0
    for row in cursor:
        if not rules.valid_datetime(row[-1]):
            count += 1
            if len(bad) < limit:
                bad.append(row)
    if count:
        message = (
            "not a valid date and time: write it as YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM] (no zone = UTC)"
        )
        _record(findings, Check("bad_datetime", check.column, "", lambda v: message), count, bad, table)


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
    check = Check(
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
    *,
    where: str | None = None,
) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    rows = f"({where})" if where else "1"
    present = " AND ".join([rows, *(f'"{c}" IS NOT NULL' for c in columns)])
    groups = f'SELECT {cols} FROM "{table.name}" WHERE {present} GROUP BY {cols} HAVING count(*) > 1'
    if not connection.execute(f"SELECT 1 FROM ({groups}) LIMIT 1").fetchone():
        return
    count = connection.execute(
        f'SELECT count(*) FROM "{table.name}" WHERE {rows} AND ({cols}) IN ({groups})'
    ).fetchone()[0]
    pk = ", ".join(f'"{c}"' for c in table.primary_key)
    value = " || ',' || ".join(f'"{c}"' for c in columns)
    examples = connection.execute(
        f'SELECT {pk}, {value} FROM "{table.name}" WHERE {rows} AND ({cols}) IN ({groups}) '
        f"ORDER BY {cols}, {pk} LIMIT {limit}"
    ).fetchall()
    check = Check(
        "duplicate",
        ",".join(columns),
        "",
        lambda v: (
            f"another row has the same {', '.join(columns)}, which must be unique"
            f"{f' among the rows where {where}' if where else ''}: change or delete one of them"
        ),
    )
    _record(findings, check, count, examples, table)


def run_preflight(
    connect: Callable[[], sqlite3.Connection],
    tables: list[TablePlan],
    *,
    limit: int = 20,
    workers: int = 2,
    encoding: str | None = None,
) -> list[TableFindings]:
    """Check every selected table, two at a time; FKs are checked where the parent is selected too.

    ``encoding`` as check_table says (--source-encoding).
    """
    selected = {t.name for t in tables}

    def one(table: TablePlan) -> TableFindings:
        # SQLite releases the GIL while it scans, so two connections use two cores.
        with closing(connect()) as connection:
            return check_table(connection, table, selected=selected, limit=limit, encoding=encoding)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="preflight") as pool:
        return list(pool.map(one, tables))
