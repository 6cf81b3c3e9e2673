"""The COPY text the tool renders is stored as the values it came from and read back byte for byte."""

from __future__ import annotations

import dataclasses
import hashlib
import struct

import psycopg
import pytest
from sqlalchemy import URL, Connection, create_engine, text

from backend.db import migrations
from backend.tests.transfer import row_checksums
from backend.transfer import verify
from backend.transfer.checksum import Checksum, ContentDigest
from backend.transfer.copy_text import copy_datetime, copy_float, copy_renderer
from backend.transfer.plan import build_plan
from backend.transfer.preflight_rules import parse_datetime

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
    sent = {ordered: ContentDigest(ordered=ordered) for ordered in (True, False)}
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
        assert row_checksums.target_checksum(conn, table) == Checksum(len(rows), expected)
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
    sent = ContentDigest(ordered=True)
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


FLOATS = [
    1e15,
    1000000000000000.125,
    1234567890123456.5,
    -1234567890123456.5,
    9999999999999998.0,
    1e16,
    123456789012345.67,
    1e-4,
    9.999e-5,
    5e-324,
    -0.0,
    0.1 + 0.2,
    1.7976931348623157e308,
]


def test_floats_are_written_as_postgresql_prints_them_and_read_back_exactly(target: URL) -> None:
    engine = create_engine(target)
    with engine.connect() as conn:
        conn.execute(text("SET extra_float_digits = 1"))
        printed = conn.scalars(text("SELECT unnest(CAST(:v AS float8[]))::text"), {"v": FLOATS}).all()
    engine.dispose()
    assert [copy_float(v) for v in FLOATS] == printed
    assert [struct.pack(">d", float(copy_float(v))) for v in FLOATS] == [struct.pack(">d", v) for v in FLOATS]


STAMP_FORMS = [
    "0999-01-01T08:00:00Z",
    "0001-01-01 00:00:00",
    "2025-09-01T10:00:00.5+02:00",
    "2025-09-01 10:00",
    "9999-12-31 23:59:59.999999",
]


def test_datetimes_are_written_as_postgresql_prints_them(target: URL) -> None:
    engine = create_engine(target)
    with engine.connect() as conn:
        conn.execute(text("SET TimeZone = 'UTC'"))
        conn.execute(text("SET DateStyle = 'ISO, YMD'"))
        printed = conn.scalars(
            text("SELECT unnest(CAST(:v AS timestamptz[]))::text"), {"v": STAMP_FORMS}
        ).all()
    engine.dispose()
    assert [copy_datetime(v) for v in STAMP_FORMS] == printed


def test_an_offset_past_the_calendar_is_not_a_datetime() -> None:
    for value in ("0001-01-01 00:30:00+01:00", "9999-12-31 23:30:00-01:00"):
        assert parse_datetime(value) is None
        with pytest.raises(ValueError, match="not a valid date and time"):
            copy_datetime(value)


def test_a_read_back_stopped_early_leaves_the_connection_usable(target: URL) -> None:
    engine = create_engine(target)
    with engine.connect() as conn:
        conn.execute(
            text("CREATE TEMP TABLE big AS SELECT g, repeat('x', 100) AS t FROM generate_series(1, 30000) g")
        )
        driver = conn.connection.driver_connection
        chunks = verify._copy_out(driver, "COPY big TO STDOUT")  # type: ignore[arg-type]
        assert len(next(chunks)) >= 1 << 20
        chunks.close()  # the reader gives up half way, as on an error or Ctrl-C
        conn.rollback()
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
