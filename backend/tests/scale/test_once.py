"""What must happen once, attacked in one process: many threads at once, both engines.

The replica tests start real processes; these race many more callers on the same code paths
(the schema lock, the first-admin lock, the backup lock) and check the database afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import URL, func, select, text
from sqlalchemy.orm import Session

from backend.backups.errors import BackupError
from backend.backups.service import BackupOptions, create_backup
from backend.db import locks, migrations
from backend.db.engine_builder import create_database_engine
from backend.db.session import Database
from backend.models import User
from backend.services.users import ensure_default_admin
from backend.tests.conftest import ADMIN_EMAIL, make_settings

T = TypeVar("T")
CALLERS = 6


def _at_once(work: Callable[[], T]) -> list[T | BaseException]:
    """Run ``work`` in CALLERS threads released together; each result or exception."""
    barrier = threading.Barrier(CALLERS)
    results: list[T | BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            results.append(work())
        except BaseException as exc:  # the test inspects every outcome
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_upgrades_at_once_on_an_empty_database_apply_the_schema_once(
    empty_database_url: URL, tmp_path: Path
) -> None:
    settings = make_settings(empty_database_url, tmp_path)
    engine = create_database_engine(settings.database, settings.engine_options)
    found = _at_once(lambda: migrations.upgrade(engine))
    head = migrations.head_revision()
    assert sorted(map(str, found)) == sorted([head] * (CALLERS - 1) + ["None"]), found
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
    engine.dispose()


def test_first_admins_at_once_make_one_admin(database_url: URL, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path)
    engine = create_database_engine(settings.database, settings.engine_options)

    def ensure() -> bool:
        with Session(engine) as session, session.begin():
            made = ensure_default_admin(session=session, email=ADMIN_EMAIL, password="Adm1n-pa55word!")
            return made is not None

    outcomes = _at_once(ensure)
    assert sorted(outcomes, key=str) == [False] * (CALLERS - 1) + [True], outcomes
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
    engine.dispose()


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_a_backup_held_elsewhere_is_busy_and_leaves_no_file(database_url: URL, tmp_path: Path) -> None:
    """Another replica, with a backup folder of its own, is backing up: this one must wait."""
    settings = make_settings(database_url, tmp_path)
    database = Database(settings.database, create_database_engine(settings.database, settings.engine_options))
    options = BackupOptions.from_settings(settings)
    elsewhere = create_database_engine(settings.database, settings.engine_options)
    with (
        locks.held_while(elsewhere, locks.BACKUPS, busy=RuntimeError("held")),
        pytest.raises(BackupError) as refused,
    ):
        create_backup(database=database, options=options)
    assert refused.value.kind == "busy"
    assert not [p for p in options.backup_dir.iterdir() if not p.name.startswith(".")]
    assert create_backup(database=database, options=options).backup.engine == "postgresql"
    elsewhere.dispose()
    database.dispose()
