"""Restores that must be refused, or fail, and leave the live data exactly as it was."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from backend.backups.errors import BackupError
from backend.backups.service import BackupOptions, create_backup, restore_backup
from backend.config import Settings
from backend.db import migrations
from backend.db.session import Database
from backend.tests.backup.conftest import BACKUPS, all_rows, change_everything, seed


def _rewrite_metadata(meta: Path, **changes: object) -> None:
    data = json.loads(meta.read_text())
    data.update(changes)
    meta.write_text(json.dumps(data))


def _match_metadata(path: Path) -> None:
    """Make the metadata agree with the (damaged) file, so only the deeper checks can catch it."""
    content = path.read_bytes()
    _rewrite_metadata(
        path.with_name(path.name + ".meta.json"),
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def flip_a_byte(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def not_a_backup(path: Path) -> None:
    path.write_text("these are my holiday photos, not a database\n" * 50)
    _match_metadata(path)


def garbled_inside(path: Path) -> None:
    # The right header, then noise: only SQLite's integrity check or pg_restore can tell.
    content = path.read_bytes()
    noise = hashlib.sha256(b"noise").digest() * (len(content) // 32 + 1)
    path.write_bytes(content[:100] + noise[: len(content) - 100])
    _match_metadata(path)


def drop_metadata(path: Path) -> None:
    path.with_name(path.name + ".meta.json").unlink()


CORRUPTIONS: dict[str, tuple[Callable[[Path], None], str]] = {
    "flipped_byte": (flip_a_byte, "SHA-256"),
    "truncated": (truncate, "truncated"),
    "not_a_backup": (not_a_backup, "is not a"),
    "garbled_inside": (garbled_inside, "not restored"),
    "no_metadata": (drop_metadata, "has no metadata file"),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_corrupted_backup_is_refused_and_the_live_data_untouched(
    client: TestClient,
    admin_headers: dict[str, str],
    engine: Engine,
    settings: Settings,
    corruption: str,
) -> None:
    seed(engine)
    made = client.post(BACKUPS, headers=admin_headers).json()
    change_everything(engine)
    live = all_rows(engine)
    damage, expected = CORRUPTIONS[corruption]
    damage(settings.resolve_path(settings.BACKUP_DIR) / made["name"])

    response = client.post(f"{BACKUPS}/{made['name']}/restore", headers=admin_headers)

    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert expected in detail and made["name"] in detail
    assert "\n" not in detail
    assert all_rows(engine) == live


def _refused_detail(
    client: TestClient,
    headers: dict[str, str],
    engine: Engine,
    settings: Settings,
    metadata: dict[str, object],
) -> str:
    """Restore a backup whose metadata says ``metadata``: refused (409), the live data untouched."""
    made = client.post(BACKUPS, headers=headers).json()
    _rewrite_metadata(settings.resolve_path(settings.BACKUP_DIR) / f"{made['name']}.meta.json", **metadata)
    seed(engine)
    live = all_rows(engine)

    response = client.post(f"{BACKUPS}/{made['name']}/restore", headers=headers)

    assert response.status_code == 409
    assert all_rows(engine) == live
    return str(response.json()["detail"])


def test_a_backup_of_the_other_engine_is_refused(
    client: TestClient, admin_headers: dict[str, str], engine: Engine, settings: Settings, db_kind: str
) -> None:
    other = "postgresql" if db_kind == "sqlite" else "sqlite"
    detail = _refused_detail(client, admin_headers, engine, settings, {"engine": other})
    assert "was made from" in detail


def test_a_backup_from_an_unknown_schema_is_refused(
    client: TestClient, admin_headers: dict[str, str], engine: Engine, settings: Settings
) -> None:
    metadata: dict[str, object] = {"schema_revision": "9999_from_the_future"}
    assert "does not know" in _refused_detail(client, admin_headers, engine, settings, metadata)


def test_metadata_that_lies_about_the_schema_is_caught(
    client: TestClient, admin_headers: dict[str, str], engine: Engine, settings: Settings, db_kind: str
) -> None:
    made = client.post(BACKUPS, headers=admin_headers).json()
    path = settings.resolve_path(settings.BACKUP_DIR) / made["name"]
    if db_kind == "sqlite":
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '0001'")
        connection.close()
        _match_metadata(path)
    else:
        # The archive really holds the head revision; the metadata claims an older one.
        _rewrite_metadata(path.with_name(path.name + ".meta.json"), schema_revision="0001")
    seed(engine)
    live = all_rows(engine)

    response = client.post(f"{BACKUPS}/{made['name']}/restore", headers=admin_headers)

    assert response.status_code in (400, 409)
    detail = response.json()["detail"]
    assert "metadata says" in detail or "older schema" in detail
    assert all_rows(engine) == live


def test_an_older_schema_is_upgraded_on_sqlite_and_refused_on_postgresql(
    database: Database, options: BackupOptions, engine: Engine, db_kind: str
) -> None:
    seed(engine)
    migrations.downgrade(engine, "0001")
    try:
        old = create_backup(database=database, options=options).backup
    finally:
        migrations.upgrade(engine)
    assert old.schema_revision == "0001"
    change_everything(engine)
    live = all_rows(engine)

    if db_kind == "postgresql":
        with pytest.raises(BackupError) as refused:
            restore_backup(database=database, options=options, name=old.name)
        assert refused.value.kind == "conflict"
        assert "older schema 0001" in str(refused.value)
        assert all_rows(engine) == live
        return

    report = restore_backup(database=database, options=options, name=old.name)
    assert (report.upgraded_from, report.schema_revision) == ("0001", migrations.head_revision())
    assert migrations.current_revision(engine) == migrations.head_revision()
    restored = all_rows(engine)
    assert restored["students"] != live["students"]
    assert len(restored["students"]) == old.row_counts["students"]
    with engine.connect() as connection:
        indexes = {row[1] for row in connection.execute(text("PRAGMA index_list('attendance')"))}
    assert "ix_attendance_course_id_date" in indexes


def test_a_restore_that_cannot_get_the_lock_gives_up_and_changes_nothing(
    database: Database, settings: Settings, engine: Engine, db_kind: str
) -> None:
    options = BackupOptions.from_settings(settings)
    options = BackupOptions(backup_dir=options.backup_dir, lock_timeout_s=1.0)
    seed(engine)
    made = create_backup(database=database, options=options).backup
    change_everything(engine)
    live = all_rows(engine)

    holder = create_engine(settings.database.url)
    with holder.connect() as connection:
        if db_kind == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("SELECT count(*) FROM students"))
        with pytest.raises(BackupError) as busy:
            restore_backup(database=database, options=options, name=made.name)
        connection.rollback()
    holder.dispose()

    assert busy.value.kind == "busy"
    assert "try again" in str(busy.value)
    assert all_rows(engine) == live


@pytest.mark.parametrize("db_kind", ["postgresql"])
def test_a_pg_restore_failing_halfway_rolls_back_everything(
    database: Database, options: BackupOptions, engine: Engine, db_kind: str
) -> None:
    seed(engine)
    made = create_backup(database=database, options=options).backup
    change_everything(engine)
    live = all_rows(engine)
    # A view the backup does not know about: DROP TABLE students fails after other tables were
    # already dropped and recreated inside pg_restore's transaction.
    with engine.begin() as connection:
        connection.execute(text("CREATE VIEW student_names AS SELECT first_name FROM students"))
    try:
        with pytest.raises(BackupError) as failed:
            restore_backup(database=database, options=options, name=made.name)
        assert failed.value.kind == "failed"
        assert "rolled back" in str(failed.value) and "cannot drop table public.students" in str(failed.value)
        live_now = all_rows(engine)
        live_now.pop("student_names", None)
        assert live_now == live
        with Session(engine) as session:
            assert session.execute(text("SELECT count(*) FROM student_names")).scalar_one() == len(
                live["students"]
            )
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP VIEW IF EXISTS student_names"))
