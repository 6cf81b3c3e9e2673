"""The COPY text the tool renders itself is stored as the values it came from, checksum included."""

from __future__ import annotations

import struct

from sqlalchemy import URL, create_engine, text

from backend.db import migrations
from backend.transfer import verify
from backend.transfer.lines import batch_renderer
from backend.transfer.plan import build_plan


def test_rendered_copy_text_arrives_bit_exact_and_matches_its_checksum(target: URL) -> None:
    (table,) = build_plan(["daily_performance"]).tables
    # Zeros of both signs after each other: one dict key, two different floats.
    scores = [0.0, -0.0, 0.1 + 0.2, 5e-324, 1e15, -1e300, float("inf"), 0.0, -0.0]
    notes = [
        "",
        None,
        "tab\tnew\nline\r",
        "back\\slash \\N \\.",
        'quo"te, (paren)',
        "Ελληνικά",
        None,
        "x",
        "y",
    ]
    rows = [
        (
            n,
            1,
            1,
            "2025-09-02",
            "quiz",
            score,
            10.0,
            note,
            "2025-09-02 08:00:00.5",
            "2025-09-02T10:00:00+02:00",
        )
        for n, (score, note) in enumerate(zip(scores, notes, strict=True), start=1)
    ]
    digest, data = batch_renderer(table)(rows)
    engine = create_engine(target)
    migrations.upgrade(engine)
    with engine.connect() as conn:
        conn.execute(text("SET TimeZone = 'UTC'"))
        conn.execute(text("SET session_replication_role = replica"))  # no students/courses needed
        columns = ", ".join(f'"{c}"' for c in table.column_names)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY daily_performance ({columns}) FROM STDIN") as copy:
            copy.write(data)
        stored = conn.execute(text("SELECT score, notes FROM daily_performance ORDER BY id")).all()
        assert [struct.pack(">d", s) for s, _ in stored] == [struct.pack(">d", s) for s in scores]
        assert [n for _, n in stored] == notes
        assert verify.target_checksum(conn, table) == verify.Checksum(len(rows), digest)
        times = conn.execute(text("SELECT created_at::text, updated_at::text FROM daily_performance")).first()
        assert times == ("2025-09-02 08:00:00.5+00", "2025-09-02 08:00:00+00")
        conn.rollback()
    engine.dispose()
