"""Rows written to the target after the operator confirmed the erase are never erased."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, create_engine, text

from backend.db.engine_builder import create_database_engine, resolve_database
from backend.tests.transfer.conftest import pg_url, seed, target_state
from backend.transfer.errors import UsageError
from backend.transfer.migrate import Options, migrate

LATE_STUDENT = (
    "INSERT INTO students (student_id, first_name, last_name, email, enrollment_date, study_year, "
    "is_active) VALUES ('LATE-1', 'Άννα', 'Late', 'late@school.test', '2026-11-25', 1, true)"
)


def test_a_target_that_changes_after_the_confirmation_is_refused(source: Path, target: URL) -> None:
    seed(source, 5)
    resolved = resolve_database(
        database_engine=None, database_url=pg_url(target), sqlite_path="x", base_dir=Path("/")
    )
    engine = create_database_engine(resolved)
    writer = create_engine(target)
    seen: dict[str, Any] = {}

    def confirm_while_the_app_still_writes(erase: dict[str, int]) -> bool:
        assert erase["students"] == 5
        with writer.begin() as conn:  # the app, still running, adds a student meanwhile
            conn.execute(text(LATE_STUDENT))
        seen["state"] = target_state(target)
        return True

    try:
        migrate(source=source, engine=engine, options=Options())  # the first run, into an empty target
        with pytest.raises(UsageError) as refused:
            migrate(
                source=source, engine=engine, options=Options(), confirm=confirm_while_the_app_still_writes
            )
        assert "students (5 -> 6 rows)" in str(refused.value) and "stop the app" in str(refused.value)
        assert target_state(target) == seen["state"]  # the late row and everything else survive
    finally:
        writer.dispose()
        engine.dispose()
