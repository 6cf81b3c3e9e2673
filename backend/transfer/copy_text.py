"""The copy step's encoder (steps.COPY): SQLite rows to the COPY text PostgreSQL prints for them.

Every value is written in the exact form ``COPY ... TO`` gives back for it (with the session's
``TimeZone=UTC``, ``DateStyle=ISO`` and ``extra_float_digits=1``): integers as they are, dates
as ``YYYY-MM-DD``, datetimes in UTC as ``2025-09-02 08:00:00.5+00``, floats in their shortest
exact digits, numerics at their column's scale, booleans as ``t``/``f``, text with COPY's
escapes. Verification (verify.py) reads the stored rows back in that form, so a value
PostgreSQL read differently from what the source held does not compare equal.

A value that cannot be written that way (a BLOB in a text column, a boolean that is not one,
an impossible date) raises ``ValueError``/``TypeError``; the caller rolls back and runs the
preflight, which names every such value. A million rows make per-value Python calls the cost,
so each table gets one generated function that walks a batch once, and values that repeat
(grades, categories, dates, flags) are rendered once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from backend.transfer.plan_types import ColumnPlan, Kind, TablePlan
from backend.transfer.preflight_rules import parse_datetime

Batch = Callable[[Sequence[Sequence[object]]], bytes]
Render = Callable[[object], str]
NULL = "\\N"
# What COPY's text format escapes on output, byte for byte.
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def copy_string(value: object) -> str:
    """A text field; only strings with a character COPY escapes pay for the translation."""
    if isinstance(value, str):
        # isprintable() is False for every control character (and some harmless ones).
        return value if value.isprintable() and "\\" not in value else value.translate(_ESCAPES)
    if isinstance(value, bytes):
        raise TypeError("binary data (BLOB) in a text column")
    return str(value)


def copy_float(value: object) -> str:
    """float8out: the shortest exact digits, scientific outside 1e-4 <= |x| < 1e15."""
    if not isinstance(value, float):
        raise TypeError(f"not a number: {value!r}")
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    shown = repr(value)
    if "e" in shown:
        return shown
    if abs(value) >= 1e15:  # repr is fixed-point up to 1e16, float8out only up to 1e15
        whole, _, fraction = shown.lstrip("-").partition(".")
        digits = (whole + fraction).rstrip("0")  # whole has 16 digits: the exponent is 15
        sign = "-" if value < 0 else ""
        shown = f"{sign}{digits[0]}{'.' + digits[1:] if digits[1:] else ''}e+15"
        if float(shown) != value:  # never send other digits than the value's own
            raise ValueError(f"cannot write the float {value!r} exactly")
        return shown
    return shown[:-2] if shown.endswith(".0") else shown


def copy_numeric(scale: int) -> Render:
    """numeric_out at the column's scale, of the decimal PostgreSQL reads from the value's repr."""
    quantum = Decimal(1).scaleb(-scale)

    def render(value: object) -> str:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise TypeError(f"not a number: {value!r}")
        shown = repr(value)
        whole, _, fraction = shown.partition(".")
        if "e" not in shown and len(fraction) <= scale and whole not in ("-0", "-"):
            # The common case, e.g. 85.5 -> 85.50, without building a Decimal.
            return whole + ("." + fraction.ljust(scale, "0") if scale else "")
        exact = Decimal(shown).quantize(quantum, rounding=ROUND_HALF_UP)
        return f"{abs(exact) if exact.is_zero() else exact:f}"

    return render


def copy_bool(value: object) -> str:
    if value in (0, 1) and not isinstance(value, str):
        return "t" if value else "f"
    if isinstance(value, str) and value.lower() in ("0", "1", "true", "false"):
        return "t" if value.lower() in ("1", "true") else "f"
    raise ValueError(f"not a boolean: {value!r}")


def copy_date(value: object) -> str:
    if isinstance(value, str) and _DATE.fullmatch(value):
        date.fromisoformat(value)  # ValueError for 2025-02-30
        return value
    raise ValueError(f"not a YYYY-MM-DD date: {value!r}")


def copy_datetime(value: object) -> str:
    """timestamptz_out in UTC; naive SQLite values are UTC wall time, as UTCDateTime stores them."""
    if value is None:
        return NULL
    if isinstance(value, str):
        # The two forms the app and CURRENT_TIMESTAMP write, without parsing them.
        if len(value) == 26 and value[19] == "." and value[10] == " " and value[16] == ":":
            if value[20:].isdigit():
                return value.rstrip("0").rstrip(".") + "+00"
        elif len(value) == 19 and value[10] == " " and value[16] == ":":
            return value + "+00"
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(f"not a valid date and time: {value!r}")
    # Not strftime: its %Y does not pad years before 1000 everywhere, and PostgreSQL does.
    shown = f"{moment.year:04d}-{moment:%m-%d %H:%M:%S}"
    if moment.microsecond:
        shown += f".{moment.microsecond:06d}".rstrip("0")
    return shown + "+00"


class Memo(dict[object, str]):
    """Renders each distinct value once; NULL is COPY's \\N."""

    def __init__(self, render: Render, cap: int = 10_000) -> None:
        super().__init__()
        self.render, self.cap = render, cap

    def __missing__(self, value: object) -> str:
        shown = NULL if value is None else self.render(value)
        # 0.0 and -0.0 are one dict key but print apart: caching a zero could turn one into the other.
        if len(self) < self.cap and not (isinstance(value, float) and value == 0):
            self[value] = shown
        return shown


# The kinds whose values repeat enough (grades, flags, dates, categories) to be worth a cache.
_REPEATING: dict[Kind, Render] = {
    Kind.FLOAT: copy_float,
    Kind.BOOL: copy_bool,
    Kind.DATE: copy_date,
    Kind.ENUM: copy_string,
}


def _memoized(column: ColumnPlan) -> Render | None:
    if column.kind is Kind.NUMERIC:
        return copy_numeric(column.scale or 0)
    return _REPEATING.get(column.kind)


def copy_renderer(table: TablePlan) -> Batch:
    """A function from a batch of SQLite rows to their COPY text, one line per row."""
    namespace: dict[str, object] = {"NULL": NULL, "T": copy_string, "D": copy_datetime, "S": str, "B": "\\"}
    fields = []
    for i, column in enumerate(table.columns):
        value = f"r[{i}]"
        if column.kind in (Kind.INT4, Kind.INT8):
            # A non-integer is printed as it is: PostgreSQL refuses it, or reads it differently
            # (" 12" as 12) and verification sees the difference.
            fields.append(f"{{NULL if {value} is None else {value}}}" if column.nullable else f"{{{value}}}")
        elif column.kind is Kind.DATETIME:
            # Inline, the app's own form with a last digit that is not 0 (most values) is its
            # own output plus the zone; anything else goes through copy_datetime.
            fast = (
                f"{value} is not None and len({value}) == 26 and {value}[10:20:3] == ' ::.' "
                f"and {value}[25] != '0' and {value}[20:].isdigit()"
            )
            fields.append(f"{{{value} + '+00' if {fast} else D({value})}}")
        elif render := _memoized(column):
            namespace[f"M{i}"] = Memo(render)
            fields.append(f"{{M{i}[{value}]}}")
        else:
            # copy_string's common case inline: a string without anything to escape is itself.
            plain = f"{value}.__class__ is S and {value}.isprintable() and B not in {value}"
            fields.append(f"{{{value} if {plain} else NULL if {value} is None else T({value})}}")
    line = "\\t".join(fields)
    source = f'def batch(rows):\n    return "".join([f"{line}\\n" for r in rows]).encode()\n'
    exec(compile(source, f"<COPY text of {table.name}>", "exec"), namespace)
    return namespace["batch"]  # type: ignore[return-value]
