"""What PostgreSQL accepts in a column of each kind, as SQL conditions SQLite evaluates.

The preflight (preflight.py) counts the rows that match each condition of a column: a match
is a value PostgreSQL would refuse. Datetimes not in the form the app writes are parsed in
Python (``parse_datetime``), the same parse the encoder (copy_text.py) uses.
"""

from __future__ import annotations

import codecs
import re
import sqlite3
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from backend.transfer.errors import UsageError
from backend.transfer.plan_types import ColumnPlan, Kind

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
class Check:
    kind: str
    column: str
    condition: str
    message: Callable[[Any], str]


@dataclass(frozen=True)
class _Rule:
    """A check for columns of ``kinds``; ``condition`` and ``message`` are templates.

    The fields are the column's own (``_fields``); a rule whose template names a field the
    column lacks (no length, no precision) does not apply. ``{chars}`` in a message is the
    offending value's length.
    """

    kinds: frozenset[Kind]
    kind: str
    condition: str
    message: str


def _rule(kinds: set[Kind], kind: str, condition: str, message: str) -> _Rule:
    return _Rule(frozenset(kinds), kind, condition, message)


_NOT_NULL = "NULL in a NOT NULL column: set a value or delete the row"
_TEXTS = {Kind.TEXT, Kind.ENUM, Kind.JSON}
# In the order the report lists a column's findings, after not_null.
_RULES = (
    _rule(
        _TEXTS,
        "nul_byte",
        "typeof({c}) = 'text' AND instr(CAST({c} AS BLOB), x'00') > 0",
        "text holds a NUL byte (\\x00), which PostgreSQL cannot store: remove it",
    ),
    _rule(
        _TEXTS,
        "wrong_type",
        "typeof({c}) = 'blob'",
        "binary data (BLOB) in a text column: convert or clear it",
    ),
    _rule(
        {Kind.TEXT},
        "too_long",
        "typeof({c}) = 'text' AND length({c}) > {length}",
        "{chars} characters, longer than VARCHAR({length}): shorten it to {length}",
    ),
    _rule(
        {Kind.INT4, Kind.INT8},
        "not_a_number",
        "{c} IS NOT NULL AND typeof({c}) != 'integer'",
        "not an integer in an integer column: fix or clear it",
    ),
    _rule(
        {Kind.INT4},
        "out_of_range",
        f"typeof({{c}}) = 'integer' AND {{c}} NOT BETWEEN {INT4[0]} AND {INT4[1]}",
        f"does not fit an INTEGER column ({INT4[0]}..{INT4[1]}): fix it, or widen the column",
    ),
    _rule(
        {Kind.FLOAT, Kind.NUMERIC},
        "not_a_number",
        "{c} IS NOT NULL AND typeof({c}) NOT IN ('integer', 'real')",
        "not a number in a numeric column: fix or clear it",
    ),
    _rule(
        {Kind.NUMERIC},
        "out_of_range",
        "typeof({c}) IN ('integer', 'real') AND abs(round({c}, {scale})) >= 1e{digits}",
        "does not fit NUMERIC({precision}, {scale}) (less than 1e{digits} in size): fix it",
    ),
    _rule(
        {Kind.BOOL},
        "not_a_boolean",
        "{c} IS NOT NULL AND {c} NOT IN (0, 1) AND (typeof({c}) != 'text' "
        "OR lower({c}) NOT IN ('true', 'false', '0', '1'))",
        "not a boolean: use 0, 1, true or false",
    ),
    _rule(
        {Kind.DATE},
        "bad_date",
        f"{{c}} IS NOT NULL AND NOT ({CANONICAL_DATE})",
        "not a valid date: write it as YYYY-MM-DD",
    ),
    # Not an error by itself: these values are parsed in Python, which decides.
    _rule({Kind.DATETIME}, "noncanonical", f"{{c}} IS NOT NULL AND NOT ({CANONICAL_DATETIME})", ""),
    _rule(
        {Kind.JSON}, "bad_json", "{c} IS NOT NULL AND NOT json_valid({c})", "not valid JSON: fix or clear it"
    ),
    _rule(
        {Kind.ENUM},
        "not_in_enum",
        "{c} IS NOT NULL AND {c} NOT IN ({allowed})",
        "not one of {values}: change it to one of them",
    ),
)


NOT_UTF8 = "not_utf8"
# SQLite stores whatever bytes a client hands it as TEXT; PostgreSQL takes only UTF-8. Only
# text with a character above 0x7f can be invalid (GLOB reads an invalid byte as such a
# character too), so ASCII text never reaches the Python check, sms_decodes (see decoder).
_UNDECODABLE = "typeof({c}) = 'text' AND {c} GLOB '*[^\x01-\x7f]*' AND NOT sms_decodes(CAST({c} AS BLOB))"


def check_encoding(name: str | None) -> None:
    """--source-encoding must name a Python text codec (exit 2 otherwise)."""
    if name is None:
        return
    try:
        text_codec = codecs.lookup(name)._is_text_encoding  # type: ignore[attr-defined]
    except LookupError:
        text_codec = False
    if not text_codec:
        raise UsageError(
            f"--source-encoding {name!r} is not a text encoding Python knows: use a codec name such "
            "as windows-1253, iso-8859-7 or latin-1"
        )


def decoder(encoding: str | None) -> Callable[[bytes], bool]:
    """sms_decodes: whether text reads as UTF-8, or else as ``encoding`` (--source-encoding)."""

    def decodes(data: bytes) -> bool:
        for codec in ("utf-8", encoding) if encoding else ("utf-8",):
            try:
                data.decode(codec)
                return True
            except UnicodeDecodeError:
                pass
        return False

    return decodes


def encoding_check(column: ColumnPlan, encoding: str | None) -> Check:
    """Text that is not UTF-8 (nor ``encoding``, when the run converts from one)."""
    if encoding:
        message = (
            f"text that is neither UTF-8 nor {encoding}: fix the value, or rerun with the "
            "--source-encoding it was written in"
        )
    else:
        message = (
            "text that is not UTF-8 (an old client or a hand edit stored another encoding, e.g. "
            "Windows-1253 Greek): rerun with --source-encoding windows-1253 (or the encoding it was "
            "written in) to convert it, or fix the value"
        )
    return Check(NOT_UTF8, column.name, _UNDECODABLE.format(c=f'"{column.name}"'), lambda value: message)


@dataclass(frozen=True)
class Enforced:
    """What the SQLite schema itself guarantees, so checking it again would only cost time."""

    not_null: frozenset[str]
    rowid: str | None
    uniques: frozenset[tuple[str, ...]]


def enforced(connection: sqlite3.Connection, table: str) -> Enforced:
    info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
    pk = [row for row in info if row[5]]
    # Only a column declared exactly INTEGER PRIMARY KEY aliases the rowid (always an integer).
    rowid = pk[0][1] if len(pk) == 1 and pk[0][2].upper() == "INTEGER" else None
    uniques = set()
    for index in connection.execute(f'PRAGMA index_list("{table}")').fetchall():
        if index[2] and not index[4]:  # unique and not partial
            columns = connection.execute(f'PRAGMA index_info("{index[1]}")').fetchall()
            uniques.add(tuple(row[2] for row in sorted(columns)))
    return Enforced(frozenset(row[1] for row in info if row[3]), rowid, frozenset(uniques))


def _fields(column: ColumnPlan) -> dict[str, object]:
    fields: dict[str, object] = {"c": f'"{column.name}"'}
    if column.length:
        fields["length"] = column.length
    if column.precision is not None:
        scale = column.scale or 0
        fields.update(precision=column.precision, scale=scale, digits=column.precision - scale)
    if column.kind is Kind.ENUM:
        fields["allowed"] = ", ".join("'" + value.replace("'", "''") + "'" for value in column.enum_values)
        fields["values"] = ", ".join(column.enum_values)
    return fields


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _message(template: str, fields: dict[str, object]) -> Callable[[Any], str]:
    if "chars" in _names(template):
        return lambda value: template.format(chars=len(value), **fields)
    text = template.format(**fields)
    return lambda value: text


def column_checks(column: ColumnPlan, enforced: Enforced, *, encoding: str | None = None) -> list[Check]:
    """The checks of one column that its kind calls for and the SQLite schema does not enforce.

    ``encoding``: the run converts text that is not UTF-8 from it (--source-encoding).
    """
    if column.name == enforced.rowid:
        return []
    fields, checks = _fields(column), []
    if column.kind in _TEXTS:
        checks.append(encoding_check(column, encoding))
    if not column.nullable and column.name not in enforced.not_null:
        checks.append(Check("not_null", column.name, f'"{column.name}" IS NULL', lambda value: _NOT_NULL))
    for rule in _RULES:
        if column.kind in rule.kinds and _names(rule.condition) <= fields.keys():
            condition = rule.condition.format(**fields)
            checks.append(Check(rule.kind, column.name, condition, _message(rule.message, fields)))
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
