"""Files at rest (issue 11, item 10): private modes, nothing left by killed runs, bounded retention.

The defects: the SQLite database (it holds password hashes) and every backup were created
0644 in a 0755 folder; a backup or restore killed mid-way left its ``.partial`` file or
``.restore-*`` folder (a whole copy of the database) forever; retention counted only backups
with readable metadata, so orphans piled up. Modes are read with os.stat; the killed runs are
real ``python -m backend.scripts.backup`` processes ended with SIGKILL mid-copy.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL

from backend.backups.service import BackupOptions, create_backup
from backend.backups.store import EXTENSIONS, LOCK_FILE, METADATA_SUFFIX
from backend.config import REPO_ROOT, Settings
from backend.db.engine_builder import create_database_engine
from backend.db.session import Database
from backend.main import create_app
from backend.tests.conftest import TEST_SECRET_KEY, login, make_settings
from backend.tests.security import confined

ADMIN = ("admin@school.test", "Adm1n-pa55word!")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def sqlite_settings(sqlite_template: Path, tmp_path: Path) -> Settings:
    """A migrated SQLite database copied as an older SMS would have left it (0644)."""
    path = tmp_path / "data" / "sms.db"
    path.parent.mkdir()
    shutil.copyfile(sqlite_template, path)
    os.chmod(path, 0o644)
    return make_settings(URL.create("sqlite", database=str(path)), tmp_path)


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings.database, create_database_engine(settings.database, settings.engine_options))
    yield db
    db.dispose()


@pytest.fixture
def options(settings: Settings) -> BackupOptions:
    return BackupOptions.from_settings(settings)


def test_a_new_sqlite_database_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "sms.db"
    settings = make_settings(URL.create("sqlite", database=str(path)), tmp_path, AUTO_MIGRATE=True)
    with TestClient(create_app(settings)) as client:
        login(client, *ADMIN)  # a write: the -wal and -shm exist while the app runs
        files = {p.name: mode(p) for p in path.parent.iterdir()}
        # sms-jobs.db: the background jobs' state (backend/jobs/runtime.py); sms.db-writer.lock:
        # the writers' turn across processes (backend/core/sqlite_write_queue.py). Private too.
        assert files == {
            "sms.db": 0o600,
            "sms.db-wal": 0o600,
            "sms.db-shm": 0o600,
            "sms-jobs.db": 0o600,
            "sms.db-writer.lock": 0o600,
        }
    assert mode(path.parent) == 0o700


def test_start_up_makes_an_existing_database_private_and_says_so(
    sqlite_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_settings.database.sqlite_path
    assert path is not None and mode(path) == 0o644
    with TestClient(create_app(sqlite_settings)):
        assert mode(path) == 0o600
    assert f"made {path} private: mode 644 -> 600" in capsys.readouterr().err


def test_a_database_owned_by_another_user_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    """Some deployments hand SMS a database file it may write but not chmod."""
    confined.require_user_namespaces()
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "sms.db"
    template = sqlite3.connect(database)
    template.close()
    os.chown(database, 65534, 65534)  # another user's file, writable by all: SMS cannot chmod it
    os.chmod(database, 0o666)
    port = confined.free_port()
    env = confined.app_env(database, tmp_path, AUTO_MIGRATE="true")
    with confined.serving(confined.as_app_user(confined.uvicorn(port)), env, port) as server:
        server.login()
        assert httpx.get(f"{server.url}/health/ready").status_code == 200
    output = server.output
    assert f"{database} is readable by other users (mode 666) and could not be made private" in output
    assert "Traceback" not in output
    assert mode(database) == 0o666


def test_backups_and_the_backup_folder_are_private(database: Database, options: BackupOptions) -> None:
    report = create_backup(database=database, options=options)
    assert mode(options.backup_dir) == 0o700
    found = {p.name: mode(p) for p in options.backup_dir.iterdir()}
    name = report.backup.name
    assert found == {name: 0o600, name + METADATA_SUFFIX: 0o600, LOCK_FILE: 0o600}


def test_start_up_makes_an_existing_backup_folder_private(
    settings: Settings, database: Database, options: BackupOptions
) -> None:
    name = create_backup(database=database, options=options).backup.name
    os.chmod(options.backup_dir, 0o755)
    for path in options.backup_dir.iterdir():
        os.chmod(path, 0o644)
    with TestClient(create_app(settings)):
        pass
    assert mode(options.backup_dir) == 0o700
    assert mode(options.backup_dir / name) == 0o600
    assert mode(options.backup_dir / (name + METADATA_SUFFIX)) == 0o600


def leave_what_killed_runs_leave(backup_dir: Path, kind: str) -> list[str]:
    """The files a backup and a restore killed mid-way leave, named as they name them."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    name = f"sms-{kind}-20260101-000000{EXTENSIONS[kind]}"
    (backup_dir / f".{name}.partial").write_bytes(b"\0" * 65536)  # the copy or pg_dump's output
    (backup_dir / f".{name}.partial-journal").write_bytes(b"\0" * 512)  # SQLite's, mid-copy
    (backup_dir / f"{name}{METADATA_SUFFIX}.partial").write_text('{"name": ')
    restore = backup_dir / ".restore-k1ll3d"  # tempfile.TemporaryDirectory(prefix=".restore-")
    restore.mkdir()
    (restore / "restore.sqlite3").write_bytes(b"\0" * 65536)
    return sorted(p.name for p in backup_dir.iterdir() if p.name != LOCK_FILE)


def test_the_next_backup_removes_what_killed_runs_left(
    db_kind: str, database: Database, options: BackupOptions
) -> None:
    assert leave_what_killed_runs_leave(options.backup_dir, db_kind)
    name = create_backup(database=database, options=options).backup.name
    assert sorted(p.name for p in options.backup_dir.iterdir()) == sorted(
        [LOCK_FILE, name, name + METADATA_SUFFIX]
    )


def test_the_next_start_removes_what_killed_runs_left(db_kind: str, settings: Settings) -> None:
    backup_dir = settings.resolve_path(settings.BACKUP_DIR)
    assert leave_what_killed_runs_leave(backup_dir, db_kind)
    with TestClient(create_app(settings)):
        pass
    assert [p.name for p in backup_dir.iterdir()] == [LOCK_FILE]


def test_start_up_leaves_the_files_of_a_backup_running_elsewhere_alone(
    db_kind: str, settings: Settings, database: Database, options: BackupOptions
) -> None:
    """Only a run holding the folder's lock may call a .partial file stale."""
    left = leave_what_killed_runs_leave(options.backup_dir, db_kind)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
            str(options.backup_dir / LOCK_FILE),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with TestClient(create_app(settings)):
            pass
        assert sorted(p.name for p in options.backup_dir.iterdir() if p.name != LOCK_FILE) == left
    finally:
        holder.communicate("", timeout=30)
    create_backup(database=database, options=options)
    assert not [p for p in options.backup_dir.iterdir() if "partial" in p.name or "restore" in p.name]


def _big_sqlite_database(settings: Settings) -> None:
    """~64 MB, so copying and checksumming it takes long enough to kill the run mid-way."""
    path = settings.database.sqlite_path
    assert path is not None
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE filler (blob BLOB)")
        connection.execute(
            "INSERT INTO filler WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
            "WHERE x < 2000) SELECT randomblob(32768) FROM n"
        )
    connection.close()


def _kill_midway(settings: Settings, *argv: str, marker: str) -> list[str]:
    """Run the backup CLI, SIGKILL it as soon as ``marker`` appears in the folder; return what is left."""
    backup_dir = settings.resolve_path(settings.BACKUP_DIR)
    env = {
        **os.environ,
        "SMS_ENV_FILE": "none",
        "DATABASE_URL": settings.database.url.render_as_string(hide_password=False),
        "SECRET_KEY": TEST_SECRET_KEY,
        "BACKUP_DIR": str(backup_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.scripts.backup", *argv],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (backup_dir.is_dir() and any(marker in p.name for p in backup_dir.iterdir())):
        assert process.poll() is None, "the run ended before it could be killed mid-way"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    left = [p.name for p in backup_dir.iterdir() if marker in p.name]
    assert left, "nothing was left: the run finished before the kill"
    return left


@pytest.mark.parametrize("action", ["create", "restore"])
@pytest.mark.parametrize("next_run", ["start", "backup"])
def test_a_killed_backup_or_restore_leaves_nothing_after_the_next_start_or_backup(
    action: str, next_run: str, sqlite_settings: Settings
) -> None:
    settings = sqlite_settings
    _big_sqlite_database(settings)
    options = BackupOptions.from_settings(settings)
    database = Database(settings.database, create_database_engine(settings.database, settings.engine_options))
    try:
        argv = ["create"]
        if action == "restore":
            argv = ["restore", create_backup(database=database, options=options).backup.name, "--yes"]
        left = _kill_midway(settings, *argv, marker=".partial" if action == "create" else ".restore-")
        assert all(name.startswith(".") for name in left)
        time.sleep(1.1)  # the next backup's name (to the second) must not reuse the killed one's
        if next_run == "start":
            with TestClient(create_app(settings)):
                pass
        else:
            create_backup(database=database, options=options)
    finally:
        database.dispose()
    remaining = [p.name for p in options.backup_dir.iterdir()]
    assert not [name for name in remaining if ".partial" in name or name.startswith(".restore-")], remaining


def test_retention_counts_every_backup_in_the_folder(
    db_kind: str, database: Database, settings: Settings
) -> None:
    """Orphans (a file without metadata, metadata without a file, unreadable metadata) count too."""
    options = BackupOptions.from_settings(settings)
    options = BackupOptions(backup_dir=options.backup_dir, retention=2, pg_bin_dir=options.pg_bin_dir)
    folder = options.backup_dir
    folder.mkdir(parents=True)
    ext = EXTENSIONS[db_kind]
    orphans = [
        f"sms-{db_kind}-20250101-000000{ext}",  # its metadata was never written
        f"sms-{db_kind}-20250102-000000{ext}{METADATA_SUFFIX}",  # its file was deleted by hand
        f"copied-in{ext}",  # put there by someone, with unreadable metadata
        f"copied-in{ext}{METADATA_SUFFIX}",
    ]
    day_ago = (datetime.now(UTC) - timedelta(days=1)).timestamp()
    for name in orphans:
        (folder / name).write_text("{")
        os.utime(folder / name, (day_ago, day_ago))
    (folder / "README.txt").write_text("not a backup: retention leaves it alone")
    made = [create_backup(database=database, options=options).backup.name for _ in range(3)]
    expected = {LOCK_FILE, "README.txt", *made[1:], *(name + METADATA_SUFFIX for name in made[1:])}
    assert {p.name for p in folder.iterdir()} == expected
