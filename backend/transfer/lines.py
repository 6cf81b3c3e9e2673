"""Step 5's inner loop: SQLite rows to COPY text and to their checksum, in one pass per batch.

A million rows make every per-value Python call count, so each table gets one generated
function that walks a batch once and yields both results: the COPY ``text`` format lines
PostgreSQL parses (cheaper than psycopg's per-value ``write_row``), and the sum of the row
literals' hashes that verification compares with the target (see verify.py). The checksum
is rendered from the SQLite values themselves, never from the COPY text, so a value
rendered wrongly for COPY still fails verification.
"""

from __future__ import annotations

import functools
import hashlib
import struct
from collections.abc import Callable, Sequence

from backend.transfer.plan import Kind, TablePlan
from backend.transfer.verify import Memo, datetime_or_empty, renderer

Batch = Callable[[Sequence[Sequence[object]]], tuple[int, bytes]]
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@functools.lru_cache(maxsize=8)
def _digest_struct(rows: int) -> struct.Struct:
    """The first 8 bytes of each of ``rows`` MD5 digests as signed big-endian integers, in one call."""
    return struct.Struct(">" + "q8x" * rows)


def _copy_text(value: object) -> str:
    """A text field of COPY's text format: backslash, tab, newline and CR escaped."""
    return (value if isinstance(value, str) else str(value)).translate(_ESCAPES)


def _copy_number(value: object) -> str:
    # str() of a float is repr(): the shortest digits that read back as the same double.
    return str(value)


class _CopyMemo(Memo):
    """Like Memo, with NULL as COPY's \\N."""

    null = "\\N"


def batch_renderer(table: TablePlan) -> Batch:
    """A function from a batch of SQLite rows to (sum of their row hashes, their COPY text)."""
    namespace: dict[str, object] = {"D": datetime_or_empty, "NULL": "\\N"}
    namespace.update(md5=hashlib.md5, unpack=_digest_struct)
    literal, line = [], []
    for i, column in enumerate(table.columns):
        value = f"r[{i}]"
        if column.kind in (Kind.INT4, Kind.INT8, Kind.DATE):
            # Preflight let only integers and YYYY-MM-DD text through: both are their own text.
            if column.nullable:
                literal.append(f"{{'' if {value} is None else {value}}}")
                line.append(f"{{NULL if {value} is None else {value}}}")
            else:
                literal.append(f"{{{value}}}")
                line.append(f"{{{value}}}")
            continue
        if column.kind is Kind.DATETIME:
            # Preflight let only ISO forms through (no tab, newline or backslash); COPY reads them as UTC.
            literal.append(f"{{D({value})}}")
            line.append(f"{{NULL if {value} is None else {value}}}")
            continue
        namespace[f"M{i}"] = Memo(renderer(column))
        literal.append(f"{{M{i}[{value}]}}")
        if column.kind in (Kind.FLOAT, Kind.BOOL):
            # float8out's digits read back as the same double; t/f is boolean input.
            namespace[f"C{i}"] = _CopyMemo(renderer(column))
        else:
            namespace[f"C{i}"] = _CopyMemo(_copy_number if column.kind is Kind.NUMERIC else _copy_text)
        line.append(f"{{C{i}[{value}]}}")
    row_literal, copy_line = ",".join(literal), "\\t".join(line)
    source = (
        "def batch(rows):\n"
        f'    digests = b"".join([md5(f"({row_literal})".encode()).digest() for r in rows])\n'
        f'    lines = "".join([f"{copy_line}\\n" for r in rows])\n'
        "    return sum(unpack(len(rows)).unpack(digests)), lines.encode()\n"
    )
    exec(compile(source, f"<COPY batch of {table.name}>", "exec"), namespace)
    return namespace["batch"]  # type: ignore[return-value]
