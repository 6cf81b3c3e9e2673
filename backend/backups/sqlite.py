"""SQLite backups through the online backup API, and restore through the same API.

Both directions copy pages inside SQLite's own locking, never by copying files: a backup is
one read transaction (a consistent snapshot while the app keeps writing, thanks to WAL), and
a restore is one write transaction on the live database. Swapping the file on disk instead
would be unsafe while the app has it open: a connection still holding the old file's -wal
can write its frames into the new one.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import URL, create_engine

from backend.backups.errors import BackupError
from backend.backups.store import BackupInfo, SnapshotFacts, check_digest
from backend.core import sqlite_write_queue
from backend.db import migrations
from backend.db.files import PRIVATE_FILE, create_private_file, make_private_dir

HEADER = b"SQLite format 3\x00"
FORMAT = "sqlite3"


class _Timeout(Exception):
    pass


def create(*, live: Path, target: Path, timeout_s: float) -> SnapshotFacts:
    """Copy the live database into ``target`` (a new, self-contained file) and describe it."""
    if not live.is_file():
        raise BackupError("unavailable", f"the SQLite database {live} does not exist: check SQLITE_PATH")
    source = sqlite3.connect(live, timeout=timeout_s)
    destination = sqlite3.connect(target)
    try:
        _copy(source, destination, timeout_s, what=f"reading {live}")
        # The copy inherits WAL mode; a backup must be one file that opens read-only anywhere.
        destination.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError("failed", f"the SQLite backup of {live} failed: {exc}") from None
    finally:
        destination.close()
        source.close()
    revision, counts = describe(target)
    return SnapshotFacts(revision, counts, sqlite3.sqlite_version)


def describe(path: Path) -> tuple[str | None, dict[str, int]]:
    """Schema revision and exact row count per table of a SQLite file, read-only."""
    connection = _read_only(path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return revision, counts
    finally:
        connection.close()


def restore(
    *, info: BackupInfo, backup: Path, live: Path, work_dir: Path, timeout_s: float, upgrade: bool
) -> dict[str, int]:
    """Check the backup in a private copy, upgrade that copy if asked, then load it into ``live``."""
    with tempfile.TemporaryDirectory(dir=work_dir, prefix=".restore-") as tmp:
        copy = Path(tmp) / "restore.sqlite3"
        shutil.copyfile(backup, copy)
        copy.chmod(PRIVATE_FILE)
        verify(copy, info)
        if upgrade:
            engine = create_engine(URL.create("sqlite", database=str(copy)))
            try:
                migrations.upgrade(engine)
            except Exception as exc:
                raise BackupError(
                    "failed",
                    f"backup {info.name} is at schema {info.schema_revision} and upgrading a copy of it "
                    f"failed ({type(exc).__name__}), so nothing was restored: restore it with the SMS "
                    "version that made it",
                ) from None
            finally:
                engine.dispose()
        _, counts = describe(copy)
        make_private_dir(live.parent)
        create_private_file(live)
        source = _read_only(copy)
        destination = sqlite3.connect(live, timeout=min(timeout_s, 5.0))
        try:
            # The backup API writes without BEGIN IMMEDIATE: it takes the writers' turn itself,
            # so the app's writers queue behind it (and it behind them) instead of racing it.
            with sqlite_write_queue.turn_held(live, timeout_s):
                _copy(source, destination, timeout_s, what=f"writing {live}")
                destination.execute("PRAGMA journal_mode=WAL")
                destination.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise BackupError(
                "failed", f"restoring {info.name} into {live} failed and was rolled back: {exc}"
            ) from None
        finally:
            destination.close()
            source.close()
    return counts


def verify(path: Path, info: BackupInfo) -> None:
    """Raise BackupError unless ``path`` is the intact SQLite database its metadata describes."""
    check_digest(path, info)
    with path.open("rb") as handle:
        if handle.read(len(HEADER)) != HEADER:
            raise BackupError(
                "corrupt",
                f"{info.name} is not a SQLite database, so it was not restored and the live data is "
                "untouched: use a backup made by SMS on SQLite",
            )
    connection = _read_only(path)
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    finally:
        connection.close()
    if result != ["ok"]:
        raise BackupError(
            "corrupt",
            f"backup {info.name} fails SQLite's integrity check ({result[0]}), so it was not restored "
            "and the live data is untouched: use another backup",
        )
    revision, _ = describe(path)
    if revision != info.schema_revision:
        raise BackupError(
            "corrupt",
            f"backup {info.name} holds schema {revision} but its metadata says {info.schema_revision}, so "
            "it was not restored and the live data is untouched: use another backup",
        )


def _read_only(path: Path) -> sqlite3.Connection:
    # as_uri() percent-encodes, so a '?' or '#' in a folder name cannot end the file name early.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _copy(source: sqlite3.Connection, destination: sqlite3.Connection, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s

    def progress(status: int, _remaining: int, _total: int) -> None:
        # Python retries a locked step forever; give up, with nothing written, at the deadline.
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Timeout

    try:
        source.backup(destination, pages=-1, progress=progress, sleep=0.05)
    except _Timeout:
        raise BackupError(
            "busy",
            f"the database stayed locked for {timeout_s:g} s while {what}; nothing was changed: "
            "try again when fewer people are saving, or stop the app first",
        ) from None
