"""The render worker: every batch in order with its checksum, errors named, nothing left behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from backend.tests.transfer.conftest import seed
from backend.transfer.checksum import ContentDigest
from backend.transfer.copy_text import copy_renderer
from backend.transfer.errors import DamagedSource
from backend.transfer.plan import build_plan
from backend.transfer.render_ahead import RenderAhead


def _ahead(source: Path, names: list[str], *, batch_size: int = 7) -> RenderAhead:
    tables = build_plan(names).tables
    return RenderAhead(source, source.with_name("text.spill"), tables, batch_size=batch_size, truncated=True)


def test_every_table_arrives_in_batches_with_the_checksum_of_its_text(source: Path) -> None:
    seed(source, students=12)
    names = ["students", "course_enrollments", "grades"]
    ahead = _ahead(source, names)
    try:
        db = sqlite3.connect(source)
        for table in build_plan(names).tables:
            batches = list(ahead.batches(table.name))
            columns = ", ".join(f'"{c}"' for c in table.column_names)
            rows = db.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY id').fetchall()
            assert sum(n for _, n in batches) == len(rows) > 7
            assert max(n for _, n in batches) == 7
            text = b"".join(data for data, _ in batches)
            assert text == copy_renderer(table)(rows)
            digest = ContentDigest(ordered=True)
            digest.add(text)
            assert ahead.checksum(table.name) == digest.result()
        db.close()
        ahead.finish()
        assert 0 < ahead.worker_peak_rss_kib < 100 * 1024
    finally:
        ahead.close()
    assert not source.with_name("text.spill").exists()


def test_a_value_the_renderer_refuses_is_raised_with_its_reason(source: Path) -> None:
    seed(source, students=3)
    db = sqlite3.connect(source, isolation_level=None)
    db.execute("UPDATE students SET is_active = 'maybe' WHERE id = 2")
    db.close()
    ahead = _ahead(source, ["students"])
    try:
        with pytest.raises(ValueError, match="not a boolean: 'maybe'"):
            list(ahead.batches("students"))
    finally:
        ahead.close()


def test_an_unreadable_source_ends_the_worker_with_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    ahead = _ahead(broken, ["students"])
    try:
        # A damaged file is the operator's to replace (exit 2), not an unexpected error.
        with pytest.raises(DamagedSource, match=r"damaged \(file is not a database\)"):
            list(ahead.batches("students"))
    finally:
        ahead.close()


def test_closing_early_stops_the_worker_and_removes_the_spill_file(source: Path) -> None:
    seed(source, students=20)
    ahead = _ahead(source, ["attendance", "grades"], batch_size=1)
    first = next(iter(ahead.batches("attendance")))
    assert first[1] == 1
    ahead.close()
    assert ahead._process.returncode is not None
    assert not source.with_name("text.spill").exists()
