"""The COPY text the tool renders is stored as the values it came from and read back byte for byte."""

from __future__ import annotations

import dataclasses
import hashlib
import struct

import psycopg
import pytest
from sqlalchemy import URL, Connection, create_engine, text

from backend.db import migrations
from backend.transfer import row_checksums, verify
from backend.transfer.lines import copy_renderer
from backend.transfer.plan import build_plan

# Zeros of both signs after each other: one dict key, two different floats.
SCORES = [0.0, -0.0, 0.1 + 0.2, 5e-324, 1e15, -1e300, float("inf"), 0.0, -0.0, 123456789012345.6]
NOTES = [
    "",
    None,
    "tab\tnew\nline\r",
    "back\\slash \\N \\.",
    'quo"te, (paren)',
    "Ελληνικά",
    None,
    "bell\x07 backspace\x08 formfeed\x0c vtab\x0b",
    "y",
    "\u2028 line separator, no-break\xa0space",
]
STAMPS = [
    "2025-09-02 08:00:00.500000",
    "2025-09-02T10:00:00+02:00",
    "2025-09-02 08:00:00",
    "2025-09-02 08:00:00.000000",
    "2025-09-02 08:00:00.123456",
    "2025-09-02 23:59:59.999999",
    "2025-09-02T08:00Z",
    "2025-09-02 08:00:00.000001",
    "2025-09-02 08:00:00-05:30",
    "2025-09-02",
]


def _rows() -> list[tuple[object, ...]]:
    return [
        (n, 1, 1, "2025-09-02", "quiz", score, 10.0, note, stamp, stamp)
        for n, (score, note, stamp) in enumerate(zip(SCORES, NOTES, STAMPS, strict=True), start=1)
    ]


def _load(conn: Connection, data: bytes) -> None:
    for setting in ("TimeZone = 'UTC'", "DateStyle = 'ISO, YMD'", "extra_float_digits = 1"):
        conn.execute(text(f"SET {setting}"))
    conn.execute(text("SET session_replication_role = replica"))  # no students/courses needed
    (table,) = build_plan(["daily_performance"]).tables
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY daily_performance ({columns}) FROM STDIN") as copy:
        copy.write(data)


def test_rendered_copy_text_arrives_bit_exact_and_reads_back_byte_for_byte(target: URL) -> None:
    (table,) = build_plan(["daily_performance"]).tables
    rows = _rows()
    data = copy_renderer(table)(rows)
    sent = {ordered: verify.ContentDigest(ordered=ordered) for ordered in (True, False)}
    for digest in sent.values():
        digest.add(data)
    engine = create_engine(target)
    migrations.upgrade(engine)
    with engine.connect() as conn:
        _load(conn, data)
        stored = conn.execute(text("SELECT score, notes FROM daily_performance ORDER BY id")).all()
        assert [struct.pack(">d", s) for s, _ in stored] == [struct.pack(">d", s) for s in SCORES]
        assert [n for _, n in stored] == NOTES
        for ordered, digest in sent.items():
            assert verify.read_back(conn, table, ordered=ordered) == digest.result()
        # The independent row-literal checksum of the same SQLite values agrees too.
        literal = row_checksums.row_literal(table)
        expected = sum(
            int.from_bytes(hashlib.md5(literal(r).encode()).digest()[:8], "big", signed=True) for r in rows
        )
        assert row_checksums.target_checksum(conn, table) == verify.Checksum(len(rows), expected)
        times = conn.scalars(text("SELECT created_at::text FROM daily_performance ORDER BY id")).all()
        assert times[:4] == [
            "2025-09-02 08:00:00.5+00",
            "2025-09-02 08:00:00+00",
            "2025-09-02 08:00:00+00",
            "2025-09-02 08:00:00+00",
        ]
        assert times[8] == "2025-09-02 13:30:00+00"
        conn.rollback()
    engine.dispose()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (4, None),
        (4, "x" * 60),
        (1, " 12"),
        (1, "0x1F"),
        (8, "2025-09-02 24:00:00"),
        (8, "2025-09-02 08:00:60"),
    ],
    ids=["null-category", "too-long", "spaced-integer", "hex-integer", "hour-24", "second-60"],
)
def test_what_postgresql_refuses_or_reads_differently_never_compares_equal(
    target: URL, column: int, value: object
) -> None:
    (table,) = build_plan(["daily_performance"]).tables
    row = list(_rows()[0])
    row[column] = value
    try:
        data = copy_renderer(table)([tuple(row)])
    except ValueError:
        return  # refused before sending: the caller rolls back and runs the preflight
    sent = verify.ContentDigest(ordered=True)
    sent.add(data)
    engine = create_engine(target)
    migrations.upgrade(engine)
    with engine.connect() as conn:
        try:
            _load(conn, data)
        except Exception:  # PostgreSQL refused it, which is the point
            conn.rollback()
            return
        assert verify.read_back(conn, table, ordered=True) != sent.result()
        conn.rollback()
    engine.dispose()


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("boolean", 2),
        ("boolean", "yes"),
        ("date", "2025-02-30"),
        ("date", "10000-01-01"),
        ("text", b"\x00\x01"),
    ],
)
def test_values_postgresql_would_misread_are_refused_before_sending(kind: str, value: object) -> None:
    (table,) = build_plan(["highlights"]).tables
    row: list[object] = [1, 1, "2025-2026", "sports", 5, "text", "2025-09-02", 1, None, None]
    index = {"boolean": 7, "date": 6, "text": 5}[kind]
    row[index] = value
    with pytest.raises((ValueError, TypeError)):
        copy_renderer(table)([tuple(row)])


def test_a_failed_read_back_raises_and_leaves_the_connection_usable(target: URL) -> None:
    (table,) = build_plan(["daily_performance"]).tables
    missing = dataclasses.replace(table, name="no_such_table")
    engine = create_engine(target)
    with engine.connect() as conn:
        with pytest.raises(psycopg.errors.UndefinedTable):
            verify.read_back(conn, missing, ordered=True)
        conn.rollback()
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
