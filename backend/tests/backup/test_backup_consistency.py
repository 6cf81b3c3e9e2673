"""A backup taken while ten clients write is one consistent snapshot."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine, select
from sqlalchemy.orm import Session

from backend.backups.service import BackupOptions, restore_backup
from backend.config import Settings
from backend.models import Course
from backend.tests.backup.conftest import BACKUPS, add_student, all_rows, database_for, seed

WRITERS = 10


def test_a_backup_taken_while_ten_clients_write_is_consistent(
    client: TestClient,
    admin_headers: dict[str, str],
    engine: Engine,
    settings: Settings,
    empty_database_url: URL,
    tmp_path: Path,
) -> None:
    seed(engine, students=2)
    with Session(engine) as session:
        course_id = session.scalars(select(Course.id)).first()
    written = [0] * WRITERS
    errors: list[BaseException] = []
    stop = threading.Event()
    all_started = threading.Barrier(WRITERS + 1)

    def writer(index: int) -> None:
        # Each transaction adds a student, an enrollment and a grade: a torn snapshot would
        # show the three tables out of step.
        try:
            all_started.wait()
            while not stop.is_set():
                with Session(engine) as session, session.begin():
                    add_student(session, f"w{index}-{written[index]}", session.get(Course, course_id))
                written[index] += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        all_started.wait()
        while sum(written) < 3 * WRITERS:
            stop.wait(0.01)
        before = sum(written)
        response = client.post(BACKUPS, headers=admin_headers)
        after = sum(written)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors, errors
    assert response.status_code == 201, response.text
    made = response.json()
    counts = made["row_counts"]

    # Every transaction is either wholly in the backup or wholly absent.
    assert counts["students"] == counts["course_enrollments"] == counts["grades"]
    assert 2 + before <= counts["students"] <= 2 + after

    # The file restores into an empty database (SQLite integrity check or pg_restore in one
    # transaction) and holds exactly the rows its metadata promises.
    target = database_for(empty_database_url, settings)
    try:
        report = restore_backup(
            database=target, options=BackupOptions.from_settings(settings), name=made["name"]
        )
        restored = {table: len(rows) for table, rows in all_rows(target.engine).items()}
    finally:
        target.dispose()
    assert report.row_counts == counts
    assert restored == counts
